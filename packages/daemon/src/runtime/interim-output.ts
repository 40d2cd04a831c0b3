import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OutputSink } from './output.js';

/**
 * A minimal sink used until the log pipeline (logs/) is wired in: appends lines to one file per process
 * and keeps the last lines per source in memory.
 */
export function createInterimOutput(appsDir: string): OutputSink {
  const tails = new Map<string, string[]>();
  return {
    async capture(target, stream, readable) {
      const file = target.runLog ?? join(appsDir, target.app, 'logs', `${target.process}.log`);
      mkdirSync(dirname(file), { recursive: true });
      const key = `${target.app}\0${target.source}`;
      for await (const line of createInterface({ input: readable, crlfDelay: Infinity })) {
        appendFileSync(file, `${new Date().toISOString()} ${target.source} ${stream} ${line}\n`);
        const tail = tails.get(key) ?? [];
        tail.push(line);
        if (tail.length > 20) tail.shift();
        tails.set(key, tail);
      }
    },
    lastLines(app, source, n) {
      return (tails.get(`${app}\0${source}`) ?? []).slice(-n);
    },
  };
}
