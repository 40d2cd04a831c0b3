import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redactor } from './types.js';

/** Ids are reserved in blocks, so the reservation file is written once per this many lines. */
const ID_BLOCK = 1_000_000;

/**
 * Per-app capture state: the id sequence, the clamped clock and the redactor.
 *
 * Ids survive restarts without scanning files: `.seq` holds an upper bound of every id handed out (written
 * before any id above the previous bound is used); a restarted daemon continues from that bound, so ids stay
 * strictly increasing with at most a gap. Times never go backwards within an app (a clock stepping back is
 * clamped), so file order, id order and time order agree and the readers can stop early.
 */
export class AppLog {
  readonly name: string;
  readonly logsDir: string;
  /** The last id handed out. */
  seq: number;
  /** `seq` when this daemon opened the app's log: `seq - openedAt` lines were captured since. */
  readonly openedAt: number;
  redactor: Redactor | null = null;
  #reserved: number;
  #time = -1;
  #retired = false;
  #timeBytes: Buffer = Buffer.alloc(0);

  constructor(name: string, logsDir: string) {
    this.name = name;
    this.logsDir = logsDir;
    this.seq = readReservation(logsDir);
    this.openedAt = this.seq;
    this.#reserved = this.seq;
  }

  /** Makes sure the next `count` ids are reserved on disk. */
  ensureIds(count: number): void {
    if (this.seq + count <= this.#reserved) return;
    const next = this.seq + Math.max(count, ID_BLOCK);
    if (this.#retired) {
      this.#reserved = next;
      return;
    }
    mkdirSync(this.logsDir, { recursive: true });
    const path = join(this.logsDir, '.seq');
    writeFileSync(`${path}.tmp`, String(next));
    renameSync(`${path}.tmp`, path);
    this.#reserved = next;
  }

  /** The app was removed: a straggling capture must not recreate its folder. */
  retire(): void {
    this.#retired = true;
  }

  /** The stamp for lines read now, clamped to never fall behind the app's previous stamp. */
  stamp(now: number): number {
    if (now > this.#time) {
      this.#time = Math.floor(now);
      this.#timeBytes = Buffer.from(String(this.#time), 'latin1');
    }
    return this.#time;
  }

  /** The decimal bytes of the last stamp (cached: one conversion per millisecond, not per line). */
  get timeBytes(): Buffer {
    return this.#timeBytes;
  }
}

function readReservation(logsDir: string): number {
  try {
    const value = Number(readFileSync(join(logsDir, '.seq'), 'latin1').trim());
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
