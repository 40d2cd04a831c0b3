import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

type Reply = string | number | null | Reply[] | Error;

/** One RESP reply from `buf` at `at`: [value, next index], or null while it is incomplete. */
function parseReply(buf: string, at: number): [Reply, number] | null {
  const end = buf.indexOf('\r\n', at);
  if (end < 0) return null;
  const head = buf.slice(at + 1, end);
  const next = end + 2;
  switch (buf[at]) {
    case '+':
      return [head, next];
    case '-':
      return [new Error(head), next];
    case ':':
      return [Number(head), next];
    case '$': {
      const len = Number(head);
      if (len < 0) return [null, next];
      // Lengths are bytes; INFO is ASCII, so characters are bytes here.
      return buf.length >= next + len + 2 ? [buf.slice(next, next + len), next + len + 2] : null;
    }
    case '*': {
      const items: Reply[] = [];
      let pos = next;
      for (let i = 0; i < Number(head); i++) {
        const item = parseReply(buf, pos);
        if (!item) return null;
        items.push(item[0]);
        pos = item[1];
      }
      return [items, pos];
    }
    default:
      return [new Error(`unexpected reply ${JSON.stringify(buf.slice(at, at + 20))}`), buf.length];
  }
}

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/**
 * Version and eviction policy of the Redis at `url` (NIGHTSHIFT_REDIS_ADMIN_URL), over a connection of its own
 * with a timeout: the CLI has no Redis client, and three commands do not need one.
 */
export function probeRedis(url: string, timeoutMs = 3_000): Promise<{ version: string; policy: string }> {
  const u = new URL(url);
  const port = Number(u.port || 6379);
  const commands: string[][] = [];
  if (u.password)
    commands.push([
      'AUTH',
      ...(u.username ? [decodeURIComponent(u.username)] : []),
      decodeURIComponent(u.password),
    ]);
  commands.push(['INFO', 'server'], ['CONFIG', 'GET', 'maxmemory-policy']);
  return new Promise((resolve, reject) => {
    const socket: Socket =
      u.protocol === 'rediss:'
        ? tlsConnect({ host: u.hostname, port, servername: u.hostname })
        : netConnect(port, u.hostname);
    let buf = '';
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('error', fail);
    // A TLS socket also emits `connect` (TCP) before its handshake: write once, when it can be read.
    socket.once(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () =>
      socket.write(commands.map(encode).join('')),
    );
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      const replies: Reply[] = [];
      let pos = 0;
      while (replies.length < commands.length) {
        const r = parseReply(buf, pos);
        if (!r) return; // wait for more
        replies.push(r[0]);
        pos = r[1];
      }
      socket.end();
      const failed = replies.find((r) => r instanceof Error);
      if (failed) return reject(failed);
      const info = replies.at(-2);
      const config = replies.at(-1);
      const version = typeof info === 'string' ? /redis_version:(\S+)/.exec(info)?.[1] : undefined;
      const policy = Array.isArray(config) && typeof config[1] === 'string' ? config[1] : undefined;
      if (!version || !policy) return reject(new Error('INFO or CONFIG GET gave no answer to read'));
      resolve({ version, policy });
    });
  });
}
