import { describe, expect, it } from 'vitest';
import {
  clockCheck,
  daemonCheck,
  diskCheck,
  exitStatus,
  homeCheck,
  nodeCheck,
  parseAdjtimex,
  parseChrony,
  parseRedisVersion,
  parseTimedatectl,
  redisCheck,
} from '../src/doctor/checks.js';

const GIB = 1024 ** 3;

describe('doctor checks', () => {
  it('want Node 22.12 or newer', () => {
    expect(nodeCheck('v20.19.0').status).toBe('fail');
    expect(nodeCheck('v22.11.0').status).toBe('fail');
    expect(nodeCheck('v22.12.0')).toMatchObject({ status: 'ok', detail: expect.stringContaining('24 LTS') });
    expect(nodeCheck('v24.1.0').status).toBe('ok');
  });

  it('want a home of mode 0700 that is yours, and a master key no one else reads', () => {
    const home = (mode: number, uid = 1000, key: number | null = 0o600) =>
      homeCheck({
        path: '/h',
        stat: { mode: 0o40000 | mode, uid },
        masterKey: key === null ? null : { mode: key },
        uid: 1000,
      });
    expect(home(0o700).status).toBe('ok');
    expect(home(0o755)).toMatchObject({ status: 'fail', fix: 'chmod 700 /h' });
    expect(home(0o700, 0).status).toBe('fail');
    expect(home(0o700, 1000, 0o644)).toMatchObject({ status: 'fail', fix: 'chmod 600 /h/master.key' });
    expect(homeCheck({ path: '/h', stat: null, masterKey: null, uid: 1 }).status).toBe('ok');
  });

  it('want Redis 6.2+ that never evicts', () => {
    expect(redisCheck({ mode: 'external', version: '7.2.4', policy: 'noeviction' }).status).toBe('ok');
    expect(redisCheck({ mode: 'external', version: '7.2.4', policy: 'allkeys-lru' })).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('noeviction'),
    });
    expect(redisCheck({ mode: 'external', version: '6.0.16', policy: 'noeviction' }).status).toBe('fail');
    expect(redisCheck({ mode: 'external', error: 'ECONNREFUSED' }).status).toBe('fail');
    expect(redisCheck({ mode: 'managed', version: '6.2.0' }).status).toBe('ok');
    expect(redisCheck({ mode: 'managed', version: '5.0.7' }).status).toBe('fail');
    expect(redisCheck({ mode: 'managed', version: null }).status).toBe('warn');
    expect(parseRedisVersion('Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64')).toBe(
      '7.0.15',
    );
    expect(parseRedisVersion('# Server\r\nredis_version:6.2.14\r\n')).toBe('6.2.14');
  });

  it('fail under 512 MiB free, warn under 2 GiB or 5 %', () => {
    expect(diskCheck('/', 0.4 * GIB, 100 * GIB).status).toBe('fail');
    expect(diskCheck('/', 1.5 * GIB, 10 * GIB).status).toBe('warn');
    expect(diskCheck('/', 4 * GIB, 100 * GIB).status).toBe('warn');
    expect(diskCheck('/', 40 * GIB, 100 * GIB).status).toBe('ok');
  });

  it('read clock sync from timedatectl, chronyc or adjtimex, else unknown', () => {
    expect(parseTimedatectl('NTPSynchronized=yes\n')).toBe(true);
    expect(parseTimedatectl('NTPSynchronized=no\n')).toBe(false);
    expect(parseTimedatectl('')).toBeNull();
    expect(parseChrony('Reference ID    : A9FEA97B\nLeap status     : Normal\n')).toEqual({
      synced: true,
      leap: 'Normal',
    });
    expect(parseChrony('Leap status     : Not synchronised\n')?.synced).toBe(false);
    expect(parseAdjtimex('    mode: 0\n    status: 8193\n')).toEqual({ synced: true, status: 8193 });
    expect(parseAdjtimex('    status: 64\n')).toEqual({ synced: false, status: 64 });
    expect(clockCheck(null).status).toBe('unknown');
    expect(clockCheck({ tool: 'timedatectl', synced: false, detail: 'x' }).status).toBe('fail');
  });

  it('exit 1 only for a failure: a daemon that is not running is a warning', () => {
    const down = daemonCheck({ kind: 'down' }, '/s');
    expect(down.status).toBe('warn');
    expect(exitStatus([down, clockCheck(null)])).toBe(0);
    expect(exitStatus([down, daemonCheck({ kind: 'unreachable', error: 'EACCES' }, '/s')])).toBe(1);
  });
});
