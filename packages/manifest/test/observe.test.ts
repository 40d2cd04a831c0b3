import { describe, expect, it } from 'vitest';
import { parse, spec } from './helpers.js';

// Issue 15's bad input: probe ports, overlapping port ranges of replicas, start_period and memory bounds.

function errorsOf(text: string) {
  const result = parse(text);
  expect(result.ok).toBe(false);
  return result.ok
    ? []
    : result.errors.map((e) => ({
        at: `${e.line}:${e.column}`,
        code: e.code,
        message: e.message,
        hint: e.hint,
      }));
}

describe('health start_period', () => {
  it('defaults to 30 s and reads a given duration', () => {
    const workers = spec(
      'workers:\n- { name: a, start: x, health: { port: 8081 } }\n- { name: b, start: x, health: { port: 8091, start_period: 2m } }\n',
    ).workers;
    expect(workers[0]?.health?.startPeriodMs).toBe(30_000);
    expect(workers[1]?.health?.startPeriodMs).toBe(120_000);
  });

  it('refuses a start_period longer than a day, at the value, with a hint', () => {
    const [error] = errorsOf(
      'workers:\n- name: a\n  start: x\n  health: { port: 8081, start_period: 25h }\n',
    );
    expect(error).toMatchObject({ at: '4:39', code: 'NS_MANIFEST_DURATION_RANGE' });
    expect(error?.message).toContain('longer than 1d');
    expect(error?.hint).toMatch(/from 0s to 1d/);
  });
});

describe('probe ports', () => {
  it.each([80, 65536])('refuses probe port %i, at the value, with a hint', (port) => {
    const [error] = errorsOf(`workers:\n- name: a\n  start: x\n  health: { port: ${port} }\n`);
    expect(error).toMatchObject({ at: '4:19', code: 'NS_MANIFEST_PORT_RANGE' });
    expect(error?.hint).toMatch(/between 1024 and 65535/);
  });

  it('refuses a range whose last replica would listen past 65535, at the value, with a hint', () => {
    expect(errorsOf('workers:\n- { name: a, start: x, replicas: 3, health: { port: 65534 } }\n')).toEqual([
      {
        at: '2:53',
        code: 'NS_MANIFEST_PORT_RANGE',
        message:
          'workers[0].health.port: a health ports 65534–65536: replica 3 would listen on port 65536, outside 1024–65535',
        hint: 'replica N listens on port + N − 1; use a port of at most 65533',
      },
    ]);
    // Autoscale max counts; the top of the range itself is fine.
    const [error] = errorsOf(
      'workers:\n- { name: b, start: x, autoscale: { min: 1, max: 4 }, metrics: { port: 65535 } }\n',
    );
    expect(error).toMatchObject({
      code: 'NS_MANIFEST_PORT_RANGE',
      hint: 'replica N listens on port + N − 1; use a port of at most 65532',
    });
    spec('workers:\n- { name: a, start: x, replicas: 3, health: { port: 65533 } }\n');
  });

  it('refuses two processes probing the same port', () => {
    const errors = errorsOf(
      'workers:\n- { name: a, start: x, health: { port: 8081 } }\n- { name: b, start: x, health: { port: 8081 } }\n',
    );
    expect(errors).toEqual([
      {
        at: '3:40',
        code: 'NS_MANIFEST_PORT_OVERLAP',
        message: 'workers[1].health.port: b health port 8081 overlaps a health port 8081',
        hint: 'replica N listens on port + N − 1; move this port to 8082 or above',
      },
    ]);
  });

  it('refuses ranges that overlap through replicas (replica N listens on port + N − 1)', () => {
    const errors = errorsOf(
      'workers:\n- { name: a, start: x, replicas: 3, metrics: { port: 9000 } }\n' +
        '- { name: b, start: x, health: { port: 9002 } }\n',
    );
    expect(errors).toMatchObject([
      {
        at: '3:40',
        code: 'NS_MANIFEST_PORT_OVERLAP',
        message: 'workers[1].health.port: b health port 9002 overlaps a metrics ports 9000–9002',
      },
    ]);
  });

  it('counts autoscale max as the replicas a range must hold', () => {
    const errors = errorsOf(
      'workers:\n- { name: a, start: x, autoscale: { min: 1, max: 4 }, health: { port: 8000 } }\n' +
        '- { name: b, start: x, metrics: { port: 8003 } }\n',
    );
    expect(errors.map((e) => e.code)).toEqual(['NS_MANIFEST_PORT_OVERLAP']);
  });

  it('refuses a process whose own health and metrics ranges meet', () => {
    const errors = errorsOf(
      'workers:\n- { name: a, start: x, replicas: 2, health: { port: 8000 }, metrics: { port: 8001 } }\n',
    );
    expect(errors.map((e) => e.code)).toEqual(['NS_MANIFEST_PORT_OVERLAP']);
  });

  it('accepts ranges that touch without overlapping, and web probing its own port', () => {
    spec(
      'web: { start: x, port: 5000, health: { path: /healthz } }\n' +
        'workers:\n- { name: a, start: x, replicas: 3, health: { port: 8000 } }\n' +
        '- { name: b, start: x, replicas: 2, health: { port: 8003 }, metrics: { port: 8005 } }\n',
    );
  });
});

describe('memory limit', () => {
  it('refuses a limit below 4Mi, at the value, with a hint', () => {
    const [error] = errorsOf('workers:\n- name: a\n  start: x\n  resources: { memory: 3Mi }\n');
    expect(error).toMatchObject({ at: '4:24', code: 'NS_MANIFEST_MEMORY_RANGE' });
    expect(error?.message).toContain('below 4Mi');
    expect(error?.hint).toMatch(/at least 4Mi/);
  });

  it('accepts exactly 4Mi', () => {
    expect(
      spec('workers:\n- { name: a, start: x, resources: { memory: 4Mi } }\n').workers[0]?.resources.memory,
    ).toBe(4 * 1024 * 1024);
  });
});
