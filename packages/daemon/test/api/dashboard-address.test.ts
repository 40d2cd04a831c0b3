import { describe, expect, it } from 'vitest';
import { dashboardUrl } from '../../src/api/dashboard/address.js';

describe("the dashboard's address", () => {
  it('is the listener itself for a named or loopback host', () => {
    expect(dashboardUrl('127.0.0.1', 7300)).toBe('http://127.0.0.1:7300/');
    expect(dashboardUrl('192.168.1.20', 8080)).toBe('http://192.168.1.20:8080/');
  });

  it('is loopback for a wildcard address, and an IPv6 address goes in brackets', () => {
    expect(dashboardUrl('0.0.0.0', 7300)).toBe('http://127.0.0.1:7300/');
    expect(dashboardUrl('::', 7300)).toBe('http://127.0.0.1:7300/');
    expect(dashboardUrl('', 7300)).toBe('http://127.0.0.1:7300/');
    expect(dashboardUrl('::1', 7300)).toBe('http://[::1]:7300/');
  });
});
