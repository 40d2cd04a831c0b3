import { describe, expect, it } from 'vitest';
import {
  NO_EVIDENCE,
  observe,
  parseEvidence,
  verdict,
  type Evidence,
  type Observation,
} from '../../src/apps/pure/guard.js';

const crash = (replica: string, at: number, code = 1, cause: string | null = null): Observation => ({
  kind: 'crash',
  replica,
  at,
  code,
  signal: null,
  cause,
  lastLines: [`line at ${at}`],
});
const probe = (replica: string, at: number, error: string): Observation => ({
  kind: 'probe-restart',
  replica,
  at,
  error,
  lastLines: [],
});
const cron: Observation = {
  kind: 'cron-failed',
  job: 'nightly',
  runId: 7,
  at: 5,
  status: 'failed',
  exitCode: 2,
  signal: null,
  reason: null,
};

const all = (obs: Observation[], guardCron = false): Evidence =>
  obs.reduce((e, o) => observe(e, o, guardCron), NO_EVIDENCE);

describe('deploy guard verdict', () => {
  it('trips on the third crash of one replica, not on three crashes spread over replicas', () => {
    expect(verdict(all([crash('emails.1', 1), crash('emails.2', 2), crash('web.1', 3)]))).toBeNull();
    expect(verdict(all([crash('emails.1', 1), crash('emails.2', 2), crash('emails.1', 3)]))).toBeNull();
    const trip = verdict(all([crash('emails.1', 1), crash('emails.1', 2, 137), crash('emails.1', 3)]));
    expect(trip).toMatchObject({
      subject: 'emails.1',
      reason: 'emails.1 crashed 3 times (exit 1, exit 137, exit 1)',
    });
    expect(trip!.replica!.lastLines).toEqual(['line at 3']);
  });

  it('trips on the second probe restart, and does not count its crash a second time', () => {
    const once = all([probe('web.1', 1, 'HTTP status 500'), crash('web.1', 2, 1, 'unhealthy')]);
    expect(verdict(once)).toBeNull();
    expect(once.replicas['web.1']!.exits).toEqual([]);
    const twice = all([probe('web.1', 1, 'HTTP status 500'), probe('web.1', 4, 'timeout after 2000 ms')]);
    expect(verdict(twice)?.reason).toBe(
      'web.1 was restarted by its health probe 2 times (HTTP status 500; timeout after 2000 ms)',
    );
  });

  it('counts a failed cron run only with guard_cron', () => {
    expect(verdict(all([cron]))).toBeNull();
    expect(verdict(all([cron], true))).toMatchObject({
      subject: 'cron nightly',
      reason: 'cron nightly run 7 failed (exit 2) and deploy.guard_cron is on',
      replica: null,
    });
  });

  it('reads back what it stored; unreadable evidence is no reason to roll back', () => {
    const evidence = all([crash('emails.1', 1), crash('emails.1', 2)]);
    const back = parseEvidence(JSON.stringify(evidence));
    expect(back).toEqual(evidence);
    expect(verdict(observe(back, crash('emails.1', 3), false))?.subject).toBe('emails.1');
    expect(parseEvidence('{not json')).toEqual(NO_EVIDENCE);
    expect(parseEvidence(null)).toEqual(NO_EVIDENCE);
  });
});
