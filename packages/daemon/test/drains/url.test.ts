import { describe, expect, it } from 'vitest';
import { maskUrl } from '../../src/drains/url.js';

describe('maskUrl, the one URL masker (drains, the Redis admin URL)', () => {
  it('hides the password and token-like query values, and keeps the rest readable', () => {
    expect(maskUrl('redis://default:s3cret@127.0.0.1:6379/0')).toBe('redis://default:***@127.0.0.1:6379/0');
    expect(maskUrl('https://collector.example.com/ingest?api_key=abc&source=shop')).toBe(
      'https://collector.example.com/ingest?api_key=***&source=shop',
    );
    expect(maskUrl('syslog+tls://logs.example.com:6514')).toBe('syslog+tls://logs.example.com:6514');
  });

  it('masks text that does not parse as a URL by pattern, instead of showing it or hiding all of it', () => {
    const masked = maskUrl('https://user:s3cret@exa mple.com/in?token=t0ken');
    expect(masked).not.toContain('s3cret');
    expect(masked).not.toContain('t0ken');
    expect(masked).toContain('exa mple.com');
  });
});
