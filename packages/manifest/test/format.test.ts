import { describe, expect, it } from 'vitest';
import { formatDiagnostic, summarize } from '../src/index.js';
import { spec } from './helpers.js';

describe('formatDiagnostic', () => {
  it('prints FILE:LINE:COL severity CODE message, then the hint', () => {
    expect(
      formatDiagnostic({
        severity: 'error',
        code: 'NS_MANIFEST_UNKNOWN_KEY',
        message: 'unknown key "replica" in workers[0]',
        hint: 'did you mean "replicas"?',
        file: '.paas/app.yaml',
        line: 5,
        column: 5,
      }),
    ).toBe(
      '.paas/app.yaml:5:5 error NS_MANIFEST_UNKNOWN_KEY unknown key "replica" in workers[0]\n  hint: did you mean "replicas"?',
    );
  });
});

describe('summarize', () => {
  it('matches the example of the issue', () => {
    const app = spec(`
redis: true
web: { start: node server.js }
workers:
  - { name: emails, start: node w.js, replicas: 2 }
  - { name: events, start: node e.js }
cron:
  - { name: nightly, schedule: "@daily", command: node n.js }
  - { name: hourly, schedule: "@hourly", command: node h.js }
`);
    expect(summarize(app)).toBe('shop: web, 2 workers (3 replicas), 2 cron jobs, redis');
  });

  it('uses singulars, ranges for autoscaled processes, and says when nothing runs', () => {
    expect(summarize(spec('workers: [{ name: w, start: x }]\n'))).toBe('shop: 1 worker (1 replica)');
    expect(
      summarize(
        spec(
          'web: { start: x, autoscale: { min: 2, max: 4 } }\nworkers: [{ name: w, start: x, autoscale: { min: 1, max: 5 } }]\n',
        ),
      ),
    ).toBe('shop: web (2–4 replicas), 1 worker (1–5 replicas)');
    expect(summarize(spec('name: idle\ncron: []\n'))).toBe('idle: nothing to run');
  });
});
