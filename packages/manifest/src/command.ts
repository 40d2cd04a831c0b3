import { parse as parseWords } from 'shell-quote';
import type { CommandSpec } from './spec.js';

/** Characters that shell-quote passes through as text but that `/bin/sh` would interpret. */
const SHELL_ONLY = /`/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Why a command line cannot be run, or null. shell-quote silently accepts an unterminated quote, which would
 * run something other than what was written, so quotes are checked here.
 */
export function commandLineProblem(source: string): string | null {
  if (source.trim() === '') return 'the command is empty';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quote === "'") {
      if (ch === "'") quote = null;
    } else if (ch === '\\') {
      i++;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    }
  }
  return quote
    ? `the ${quote === '"' ? 'double' : 'single'} quote opened in the command is never closed`
    : null;
}

/**
 * Splits a `start` string into argv. When the line needs a shell (operators, redirections, globs, `$VAR`,
 * backticks, `~`, a leading `NAME=value`), the command is `/bin/sh -c <source>` instead, so it means exactly
 * what it would mean in a terminal. Call only on lines without a `commandLineProblem`.
 */
export function commandFromLine(source: string): CommandSpec {
  let usesVariables = false;
  const tokens = parseWords(source, (name) => {
    usesVariables = true;
    return `$${name}`;
  });
  const words: string[] = [];
  let needsShell = usesVariables || SHELL_ONLY.test(source);
  for (const token of tokens) {
    if (typeof token === 'string') words.push(token);
    else needsShell = true;
  }
  const first = words[0] ?? '';
  if (ASSIGNMENT.test(first) || words.some((w) => w.startsWith('~'))) needsShell = true;
  if (needsShell || words.length === 0) return { argv: ['/bin/sh', '-c', source], shell: true, source };
  return { argv: words, shell: false, source };
}

const PLAIN_WORD = /^[A-Za-z0-9_\-.,:/=@%+]+$/;

/** Shell-style display of one argument: bare when safe, else single-quoted. */
function displayWord(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command given as a list (`command: [node]`, `args: [dist/worker.js]`): run as is, never through a shell. */
export function commandFromList(argv: readonly string[]): CommandSpec {
  return { argv: [...argv], shell: false, source: argv.map(displayWord).join(' ') };
}
