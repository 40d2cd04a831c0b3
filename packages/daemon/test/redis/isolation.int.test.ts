import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { appRule } from '../../src/redis/index.js';
import { attempt, MACHINE_REDIS, uniqueApp, useClients, useRedisWorlds } from './helpers.js';

// The isolation matrix of issue 16: two apps, `<foo>` and `<foo>bar` (one name a prefix of the other), every
// command run as <foo>'s user against the real server, allowed or refused exactly as DESIGN §8's rule implies.
// Run against the managed redis-server and against the machine's Redis as an external admin URL.

type Row = readonly ['allowed' | 'denied', ...string[]];

function matrix(foo: string, bar: string): Row[] {
  const own = (k: string) => `${foo}:${k}`;
  const other = (k: string) => `${bar}:${k}`;
  const lua = (body: string, ...rest: string[]) => ['EVAL', body, ...rest];
  return [
    // own namespace
    ['allowed', 'SET', own('k'), 'v'],
    ['allowed', 'GET', own('k')],
    ['allowed', 'DEL', own('gone')],
    ['allowed', 'INCR', own('n')],
    ['allowed', 'HSET', own('h'), 'f', 'v'],
    ['allowed', 'HSCAN', own('h'), '0'],
    ['allowed', 'LPUSH', own('list'), 'a'],
    ['allowed', 'XADD', own('stream'), '*', 'f', 'v'],
    ['allowed', 'ZADD', own('z'), '1', 'm'],
    ['allowed', 'EXPIRE', own('k'), '100'],
    ['allowed', 'RENAME', own('n'), own('n2')],
    ['allowed', 'MEMORY', 'USAGE', own('k')],
    ['allowed', 'OBJECT', 'ENCODING', own('k')],
    ['allowed', ...lua(`return redis.call('SET','${own('undeclared')}','1')`, '0')],
    ['allowed', ...lua("return redis.call('GET', KEYS[1])", '1', own('k'))],
    // the other app's keys, and keys of no app
    ['denied', 'GET', other('secret')],
    ['denied', 'SET', other('secret'), 'pwned'],
    ['denied', 'DEL', other('secret')],
    ['denied', 'EXISTS', other('secret')],
    ['denied', 'TYPE', other('secret')],
    ['denied', 'TTL', other('secret')],
    ['denied', 'UNLINK', other('secret')],
    ['denied', 'GET', 'unprefixed'],
    ['denied', 'SET', 'unprefixed', 'y'],
    ['denied', 'GET', foo],
    ['denied', 'GET', `${foo}bar`],
    ['denied', 'RENAME', own('k'), other('stolen')],
    ['denied', 'COPY', other('secret'), own('copy')],
    ['denied', 'SUNIONSTORE', own('dst'), other('set')],
    ['denied', 'LMOVE', other('queue'), own('list'), 'LEFT', 'LEFT'],
    ['denied', 'BLPOP', other('queue'), '0.1'],
    ['denied', 'XREAD', 'COUNT', '1', 'STREAMS', other('stream'), '0'],
    ['denied', 'DUMP', other('secret')],
    ['denied', 'OBJECT', 'ENCODING', other('secret')],
    ['denied', 'MEMORY', 'USAGE', other('secret')],
    ['denied', 'WATCH', other('secret')],
    ['denied', 'MGET', own('k'), other('secret')],
    ['denied', 'MSET', own('k'), 'v', other('secret'), 'v'],
    ['denied', ...lua("return redis.call('GET', KEYS[1])", '1', other('secret'))],
    ['denied', ...lua(`return redis.call('GET','${other('secret')}')`, '0')],
    ['denied', ...lua(`return redis.call('SET','${other('secret')}','x')`, '0')],
    ['denied', ...lua("return redis.call('FLUSHALL')", '0')],
    ['denied', ...lua("return redis.call('KEYS','*')", '0')],
    ['denied', ...lua("return redis.call('SCAN','0')", '0')],
    // enumeration: would list other apps' key names
    ['denied', 'SCAN', '0'],
    ['denied', 'SCAN', '0', 'MATCH', `${foo}:*`],
    ['denied', 'KEYS', '*'],
    ['denied', 'KEYS', `${foo}:*`],
    ['denied', 'RANDOMKEY'],
    ['allowed', 'DBSIZE'],
    // databases
    ['allowed', 'SELECT', '0'],
    ['denied', 'SELECT', '1'],
    ['denied', 'MOVE', own('k'), '1'],
    ['denied', 'SWAPDB', '0', '1'],
    // administration and instance-wide effects
    ...(
      [
        ['FLUSHALL'],
        ['FLUSHALL', 'ASYNC'],
        ['FLUSHDB'],
        ['CONFIG', 'GET', 'maxmemory'],
        ['CONFIG', 'SET', 'maxmemory', '0'],
        ['CONFIG', 'RESETSTAT'],
        ['ACL', 'WHOAMI'],
        ['ACL', 'LIST'],
        ['ACL', 'USERS'],
        ['ACL', 'GETUSER', `app-${bar}`],
        ['ACL', 'SETUSER', `app-${foo}`, '~*'],
        ['ACL', 'DELUSER', `app-${bar}`],
        ['ACL', 'LOG'],
        ['DEBUG', 'SLEEP', '0'],
        ['DEBUG', 'OBJECT', own('k')],
        ['SHUTDOWN', 'NOSAVE'],
        ['MONITOR'],
        ['CLIENT', 'LIST'],
        ['CLIENT', 'KILL', 'USER', `app-${bar}`],
        ['CLIENT', 'PAUSE', '10'],
        ['CLIENT', 'UNPAUSE'],
        ['CLIENT', 'NO-EVICT', 'ON'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', `${bar}:`],
        ['CLIENT', 'TRACKING', 'ON'],
        ['CLIENT', 'CACHING', 'YES'],
        ['CLIENT', 'GETREDIR'],
        ['CLIENT', 'TRACKINGINFO'],
        ['SCRIPT', 'FLUSH'],
        ['SCRIPT', 'KILL'],
        ['SCRIPT', 'DEBUG', 'SYNC'],
        ['FUNCTION', 'LIST'],
        ['FUNCTION', 'FLUSH'],
        ['FUNCTION', 'DELETE', 'x'],
        ['FUNCTION', 'LOAD', "#!lua name=evil\nredis.register_function('f', function() return 1 end)"],
        ['FCALL', 'f', '0'],
        ['FCALL_RO', 'f', '0'],
        ['SLOWLOG', 'GET'],
        ['LATENCY', 'LATEST'],
        ['MEMORY', 'STATS'],
        ['MEMORY', 'DOCTOR'],
        ['MEMORY', 'PURGE'],
        ['SAVE'],
        ['BGSAVE'],
        ['BGREWRITEAOF'],
        ['LASTSAVE'],
        ['REPLICAOF', 'NO', 'ONE'],
        ['SLAVEOF', 'NO', 'ONE'],
        ['ROLE'],
        ['FAILOVER'],
        ['MODULE', 'LIST'],
        ['SORT', own('list'), 'BY', `${bar}:*`],
        ['MIGRATE', '127.0.0.1', '1', own('k'), '0', '10'],
        ['RESTORE', own('r'), '0', 'x'],
        ['PUBSUB', 'CHANNELS'],
        ['PUBSUB', 'CHANNELS', `${bar}:*`],
        ['PUBSUB', 'NUMSUB', `${bar}:ch`],
        ['PUBSUB', 'NUMPAT'],
        ['PUBSUB', 'SHARDCHANNELS'],
      ] as string[][]
    ).map((cmd): Row => ['denied', ...cmd]),
    // what apps, BullMQ and ioredis need
    ...(
      [
        ['PING'],
        ['ECHO', 'hi'],
        ['INFO', 'server'],
        ['TIME'],
        ['CLIENT', 'SETNAME', `${foo}-worker`],
        ['CLIENT', 'GETNAME'],
        ['CLIENT', 'ID'],
        ['CLIENT', 'INFO'],
        ['SCRIPT', 'LOAD', 'return 1'],
        ['SCRIPT', 'EXISTS', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db'],
        ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
        ['WAIT', '0', '0'],
        ['COMMAND', 'COUNT'],
        ['PUBLISH', `${foo}:ch`, 'hi'],
        ['SPUBLISH', `${foo}:ch`, 'hi'],
      ] as string[][]
    ).map((cmd): Row => ['allowed', ...cmd]),
    ['denied', 'PUBLISH', `${bar}:ch`, 'spoof'],
    ['denied', 'PUBLISH', 'unprefixed-ch', 'x'],
    ['denied', 'SPUBLISH', `${bar}:ch`, 'spoof'],
  ];
}

const SERVERS = [
  ['managed redis-server', {}],
  ['the machine Redis as admin URL', { adminUrl: MACHINE_REDIS }],
] as const;

describe.each(SERVERS)('isolation on %s', (_name, config) => {
  const world = useRedisWorlds();
  const client = useClients();

  it('allows and refuses every command of the matrix exactly as DESIGN §8 implies', async () => {
    const w = world(config);
    const foo = uniqueApp();
    const bar = `${foo}bar`;
    await w.service.provision(foo);
    await w.service.provision(bar);
    const barClient = client(w.service.environment(bar)!.url);
    await barClient.set(`${bar}:secret`, 's3cret');
    await barClient.rpush(`${bar}:queue`, 'job');
    await barClient.sadd(`${bar}:set`, 'm');
    await barClient.xadd(`${bar}:stream`, '*', 'f', 'v');

    const c = client(w.service.environment(foo)!.url);
    const rows = matrix(foo, bar);
    expect(rows.length).toBeGreaterThanOrEqual(100);
    const wrong: string[] = [];
    for (const [expected, ...args] of rows) {
      const r = await attempt(c, ...args);
      const actual = r.ok ? 'allowed' : 'denied';
      if (actual !== expected) wrong.push(`${args.join(' ')}: ${expected}, got ${r.ok ? 'OK' : r.error}`);
      // A refusal must come from the ACL, the one-database config or a disabled command, never by accident.
      if (!r.ok && expected === 'denied') {
        expect(r.error).toMatch(/NOPERM|can't access|can't run|DB index is out of range|not allowed/);
      }
    }
    // Inside MULTI a refused command aborts the transaction.
    expect(await attempt(c, 'MULTI')).toMatchObject({ ok: true });
    expect(await attempt(c, 'GET', `${bar}:secret`)).toMatchObject({ ok: false });
    const exec = await attempt(c, 'EXEC');
    expect(exec.ok ? 'allowed' : exec.error).toMatch(/^EXECABORT/);
    expect(wrong).toEqual([]);
    // The other app's value is untouched by everything above.
    expect(await barClient.get(`${bar}:secret`)).toBe('s3cret');
  });

  it('keeps channels apart: subscriptions, patterns and publishing into the other app', async () => {
    const w = world(config);
    const foo = uniqueApp();
    const bar = `${foo}bar`;
    await w.service.provision(foo);
    await w.service.provision(bar);
    const fooUrl = w.service.environment(foo)!.url;
    const sub = async (method: 'subscribe' | 'psubscribe' | 'ssubscribe', channel: string) => {
      const s = client(fooUrl);
      try {
        await s[method](channel);
        return 'allowed';
      } catch (err) {
        expect((err as Error).message).toMatch(/^NOPERM/);
        return 'denied';
      }
    };
    expect(await sub('subscribe', `${foo}:ch`)).toBe('allowed');
    expect(await sub('subscribe', `${bar}:ch`)).toBe('denied');
    expect(await sub('subscribe', 'other')).toBe('denied');
    expect(await sub('psubscribe', `${foo}:*`)).toBe('allowed');
    expect(await sub('psubscribe', '*')).toBe('denied');
    expect(await sub('psubscribe', `${bar}:*`)).toBe('denied');
    expect(await sub('psubscribe', `${foo}*`)).toBe('denied');
    expect(await sub('ssubscribe', `${foo}:ch`)).toBe('allowed');
    expect(await sub('ssubscribe', `${bar}:ch`)).toBe('denied');

    const barSub = client(w.service.environment(bar)!.url);
    const got: string[] = [];
    barSub.on('message', (_ch: string, m: string) => got.push(m));
    await barSub.subscribe(`${bar}:ch`);
    const fooPub = client(fooUrl);
    await expect(fooPub.publish(`${bar}:ch`, 'spoof')).rejects.toThrow(/^NOPERM/);
    await client(w.service.environment(bar)!.url).publish(`${bar}:ch`, 'legit');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['legit']);
  });

  it("never learns the other app's key names (CLIENT TRACKING BCAST over RESP3 is refused)", async () => {
    const w = world(config);
    const foo = uniqueApp();
    await w.service.provision(foo);
    const url = new URL(w.service.environment(foo)!.url);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      let buf = '';
      socket.on('data', (d) => {
        buf += d.toString();
        if (/-NOPERM[^\r]*\r\n/.test(buf) || buf.includes('+OK')) {
          socket.destroy();
          resolve(buf);
        }
      });
      socket.write(
        `HELLO 3 AUTH ${url.username} ${url.password}\r\nCLIENT TRACKING ON BCAST PREFIX ${foo}bar:\r\n`,
      );
    });
    expect(reply).toMatch(/-NOPERM[^\r]*'client\|tracking'/);
  });
});

describe('the rule', () => {
  it('starts from reset and carries every password given (rotation holds two)', () => {
    const rule = appRule('shop', ['a'.repeat(64), 'b'.repeat(64)]);
    expect(rule.slice(0, 3)).toEqual(['app-shop', 'reset', 'on']);
    expect(rule.filter((part) => part.startsWith('>'))).toHaveLength(2);
    expect(rule).toContain('~shop:*');
    expect(rule).toContain('&shop:*');
  });
});
