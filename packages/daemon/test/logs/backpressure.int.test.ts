import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants, mkdirSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogService } from '../../src/logs/index.js';
import { useTempDir } from './helpers.js';

const emitter = fileURLToPath(new URL('../../../../bench/fixtures/logs-emit.mjs', import.meta.url));
const tempDir = useTempDir();

describe('back-pressure', () => {
  it('stops reading the pipe while the file cannot take more, so the process blocks, and loses nothing after', async () => {
    const dir = tempDir();
    const logsDir = join(dir, 'shop', 'logs');
    mkdirSync(logsDir, { recursive: true });
    // The "disk" is a FIFO nobody reads yet: every write beyond its 64 KiB blocks, like a stalled disk.
    const fifo = join(logsDir, 'emails.log');
    execFileSync('mkfifo', [fifo]);
    const readerFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const logs = createLogService({ dir, maxFileBytes: 1024 * 1024 * 1024 });
    const count = 300_000;
    const child = spawn(process.execPath, [emitter, String(count), '0', 'emails.1'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const captured = logs.capture(
      { app: 'shop', process: 'emails', source: 'emails.1' },
      'out',
      child.stdout,
    );
    let exited = false;
    const exit = once(child, 'exit').then(() => (exited = true));

    onTestFinished(() => void child.kill('SIGKILL'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // The child is stuck writing to its pipe: the daemon stopped reading instead of buffering everything.
    expect(exited).toBe(false);
    expect(child.stdout.isPaused()).toBe(true);
    // At most about one read beyond the stream's high-water mark is held in memory for this pipe.
    expect(child.stdout.readableLength).toBeLessThanOrEqual(2 * child.stdout.readableHighWaterMark);

    // The disk comes back: read the FIFO to the end and check every line arrived once, in order.
    const reader = new Socket({ fd: readerFd, readable: true, writable: false });
    let text = '';
    reader.setEncoding('latin1');
    reader.on('data', (chunk: string) => (text += chunk));
    await Promise.all([captured, exit]);
    await logs.close();
    await once(reader, 'end');
    const numbers = text
      .split('\n')
      .filter((record) => record !== '' && !record.startsWith('#'))
      .map((record) => Number(record.split('\t')[4]!.split(' ')[1]));
    expect(numbers.length).toBe(count);
    expect(numbers.every((n, i) => n === i + 1)).toBe(true);
  });
});
