import { describe, expect, it } from 'vitest';
import { parse, spec } from './helpers.js';

// Issue 21: `deploy.watch`, `deploy.guard_cron` and `restart.max_restarts`.

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

const WORKER = 'workers:\n- name: a\n  start: x\n';

describe('deploy guard settings', () => {
  it('default to a 2 minute watch without cron, and read what is given (0 turns the guard off)', () => {
    expect(spec(WORKER).deploy).toEqual({ watchMs: 120_000, guardCron: false });
    expect(spec(`deploy: { watch: 30s, guard_cron: true }\n${WORKER}`).deploy).toEqual({
      watchMs: 30_000,
      guardCron: true,
    });
    expect(spec(`deploy: { watch: 0 }\n${WORKER}`).deploy.watchMs).toBe(0);
  });

  it('refuses a watch that is no duration or longer than a day, at the value', () => {
    const [bad] = errorsOf(`deploy:\n  watch: soon\n${WORKER}`);
    expect(bad).toMatchObject({ at: '2:10', code: 'NS_MANIFEST_INVALID_DURATION' });
    const [long] = errorsOf(`deploy:\n  watch: 2d\n${WORKER}`);
    expect(long).toMatchObject({ at: '2:10', code: 'NS_MANIFEST_DURATION_RANGE' });
    expect(long?.hint).toMatch(/from 0s to 1d/);
  });

  it('refuses guard_cron that is not true/false and unknown keys, with a suggestion', () => {
    const [flag] = errorsOf(`deploy:\n  guard_cron: yes\n${WORKER}`);
    expect(flag?.at).toBe('2:15');
    expect(flag?.hint).toMatch(/true or false/);
    const [typo] = errorsOf(`deploy:\n  wach: 1m\n${WORKER}`);
    expect(typo).toMatchObject({ at: '2:3', code: 'NS_MANIFEST_UNKNOWN_KEY' });
    expect(typo?.hint).toContain('watch');
  });
});

describe('restart.max_restarts', () => {
  it('defaults to never giving up and reads a count', () => {
    expect(spec(WORKER).workers[0]?.restart.maxRestarts).toBeNull();
    expect(spec(`${WORKER}  restart: { max_restarts: 5 }\n`).workers[0]?.restart.maxRestarts).toBe(5);
  });

  it.each(['0', '2.5', '"3"'])('refuses max_restarts: %s, at the value', (value) => {
    const [error] = errorsOf(`${WORKER}  restart:\n    max_restarts: ${value}\n`);
    expect(error?.at).toBe('5:19');
  });
});
