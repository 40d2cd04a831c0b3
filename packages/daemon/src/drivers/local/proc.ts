import { readdirSync, readFileSync } from 'node:fs';

/** Fields of `/proc/<pid>/stat` we need. The command name may contain spaces and parens: parse after the last `)`. */
export interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** Clock ticks after boot: with the pid, a unique identity for a process. */
  readonly startTime: string;
  readonly utimeTicks: number;
  readonly stimeTicks: number;
  readonly rssPages: number;
}

export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state) of proc(5).
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    utimeTicks: Number(fields[11]),
    stimeTicks: Number(fields[12]),
    startTime: fields[19] ?? '',
    rssPages: Number(fields[21]),
  };
}

/** Every live (non-zombie) process whose process group is `pgid`. */
export function processesInGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readProcStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') out.push(pid);
  }
  return out;
}
