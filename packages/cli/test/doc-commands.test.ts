import { describe, expect, it } from 'vitest';
import { buildProgram, commandPaths } from '../src/index.js';
import { docCommands, wordsOf } from './doc-snippets.js';

// Every `nightshift …` line in a code block of the README and the docs must name a real command and only
// options that command has, so a renamed command or flag fails here, in a second, before a reader finds it.
// tests/e2e/doc-commands.test.ts and the README tour's test also run every one of them against a daemon.

type Cmd = ReturnType<typeof buildProgram>['commands'][number];

/** What is wrong with one documented command line, or null. */
function problemOf(line: string, program: ReturnType<typeof buildProgram>): string | null {
  // The command itself: before a comment and before a shell pipe (` | `; `a|b` inside a word is an alternative).
  const words = line
    .replace(/\s+#.*$/, '')
    .split(' | ')[0]!
    .split(/\s+/)
    .map((w) => w.replace(/[[\]]/g, ''))
    .filter((w) => w !== '');
  let command: Cmd = program;
  let path = '';
  let descending = true;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') break; // what follows belongs to the user's command (`run -- node …`)
    if (/^--?[A-Za-z]/.test(word)) {
      const [flag, inline] = word.split('=') as [string, string | undefined];
      for (const alternative of flag.split('|')) {
        const option = [...command.options, ...program.options].find(
          (o) => o.long === alternative || o.short === alternative,
        );
        if (!option && alternative !== '--help' && alternative !== '-h')
          return `\`${path || 'nightshift'}\` has no option ${alternative}`;
        // An option's value is not a command word.
        if (option && (option.required || option.optional) && inline === undefined) i++;
      }
      continue;
    }
    if (!descending) continue;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) {
      // A group such as `cron` takes no arguments of its own: the word was meant as one of its commands.
      if (path !== '' && command.commands.length > 0 && command.registeredArguments.length === 0)
        return `\`${path}\` has no command "${word}"`;
      if (path === '') return `no command named "${word}"`;
      descending = false;
      continue;
    }
    command = sub;
    path = path ? `${path} ${sub.name()}` : sub.name();
  }
  if (path === '') return 'no command';
  return null;
}

/**
 * Parses the line with the real program, every action replaced by nothing: commander itself then checks
 * required arguments, option values and extra words, as it would for a user.
 */
async function parseProblem(line: string): Promise<string | null> {
  const program = buildProgram();
  const silence = (c: Cmd) => {
    c.exitOverride();
    c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    if (c !== program) c.action(() => {});
    for (const sub of c.commands) silence(sub);
  };
  silence(program);
  try {
    await program.parseAsync(wordsOf(line), { from: 'user' });
    return null;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return null;
    return (err as Error).message;
  }
}

describe('commands shown in the README and docs', () => {
  const program = buildProgram();
  const commands = docCommands();

  it('finds the documented commands', () => {
    expect(commands.length).toBeGreaterThan(50);
  });

  it('name real commands and options', () => {
    const problems = commands.flatMap(({ where, line }) => {
      const problem = problemOf(line, program);
      return problem ? [`${where}: nightshift ${line.trim()} → ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('parse as the CLI parses them: arguments, option values, no extra words', async () => {
    const problems: string[] = [];
    for (const { where, line } of commands) {
      const problem = await parseProblem(line);
      if (problem) problems.push(`${where}: nightshift ${line.trim()} → ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  it('would catch a missing argument, a bad option value or an extra word', async () => {
    expect(await parseProblem('cron run')).toMatch(/missing required argument/);
    expect(await parseProblem('usage --by week')).toMatch(/Allowed choices/);
    expect(await parseProblem('ps orders')).toMatch(/too many arguments/);
    expect(await parseProblem('cron history cleanup -n 20 [--json]  # newest first')).toBeNull();
  });

  it('would catch a renamed command or option', () => {
    expect(problemOf('scale orders=3 --replica 4', program)).toMatch(/no option --replica/);
    expect(problemOf('cron trigger cleanup', program)).toMatch(/`cron` has no command "trigger"/);
    expect(problemOf('deploy --ref v1 -q', program)).toBeNull();
    expect(commandPaths(program).length).toBeGreaterThan(30);
  });
});
