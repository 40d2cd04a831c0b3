import { readdirSync, readFileSync } from 'node:fs';

// The `nightshift …` lines in the code blocks of the README and the docs, read by two tests: one parses each with
// the real command definitions, the other runs each against a daemon. docs/cli.md is generated from the
// definitions themselves, so it is not read.
export const repoRoot = new URL('../../../', import.meta.url);

function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(new URL(dir, repoRoot), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) =>
        e.isDirectory() ? walk(`${dir}${e.name}/`) : e.name.endsWith('.md') ? [`${dir}${e.name}`] : [],
      );
  return ['README.md', ...walk('docs/')].filter((f) => f !== 'docs/cli.md');
}

export interface DocCommand {
  /** `file:line`. */
  readonly where: string;
  /** The line after `nightshift ` (a `$ ` prompt and `npm run -s nightshift -- ` removed). */
  readonly line: string;
  /** Whether the line is a `$ ` prompt line (the README's tour shows each with its output). */
  readonly prompted: boolean;
}

export function docCommands(): DocCommand[] {
  const out: DocCommand[] = [];
  for (const file of markdownFiles()) {
    let fenced = false;
    readFileSync(new URL(file, repoRoot), 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (/^\s*```/.test(text)) fenced = !fenced;
        const m = fenced && /^\s*(\$ )?(?:npm run -s nightshift -- |nightshift )(.*)$/.exec(text);
        if (m) out.push({ where: `${file}:${i + 1}`, line: m[2]!, prompted: m[1] !== undefined });
      });
  }
  return out;
}

/** The words a documented line gives the CLI: before a comment, a pipe or a redirection; quotes as a shell reads them. */
export function wordsOf(line: string): string[] {
  // A usage line's `[--json]` is an option the reader may give: it is given here. A shell redirection ends the
  // command.
  const command = line
    .replace(/\s+#.*$/, '')
    .split(' | ')[0]!
    .split(' > ')[0]!
    .replace(/[[\]]/g, '');
  const words: string[] = [];
  for (const m of command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    // `--by process|day|region` or `--failed|--completed`: alternatives, of which the first is given.
    words.push(m[3] === undefined ? (m[1] ?? m[2]!) : m[3].split('|')[0]!);
  }
  return words;
}
