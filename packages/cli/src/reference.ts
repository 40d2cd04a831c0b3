import type { Argument, CommandUnknownOpts as Command, Help } from '@commander-js/extra-typings';
import { examples } from './examples.js';

/** Every command under `program`, depth first, with its space-separated path (`cron run`). */
export function commandPaths(program: Command): { path: string; command: Command }[] {
  const out: { path: string; command: Command }[] = [];
  const walk = (parent: Command, prefix: string) => {
    for (const command of parent.commands) {
      const path = prefix ? `${prefix} ${command.name()}` : command.name();
      out.push({ path, command });
      walk(command, path);
    }
  };
  walk(program, '');
  return out;
}

/** The examples of one command as the text `--help` prints after its usage. */
export function examplesHelp(path: string): string | undefined {
  const list = examples[path];
  if (!list) return undefined;
  const width = Math.max(...list.map(([cmd]) => cmd.length));
  return `\nExamples:\n${list.map(([cmd, what]) => `  ${cmd.padEnd(width)}  # ${what}`).join('\n')}\n`;
}

function argumentText(a: Argument): string {
  const name = `${a.name()}${a.variadic ? '...' : ''}`;
  return a.required ? `<${name}>` : `[${name}]`;
}

// Commander's own help formatter gives the usage line (with the parents' names), so the reference and `--help`
// agree.
function usageOf(command: Command, help: Help): string {
  return help.commandUsage(command);
}

/**
 * docs/cli.md: one section per command with its usage, description, arguments, options and examples, all
 * from the command definitions (`npm run docs` writes it; a test fails when the committed copy is stale).
 */
export function cliReferenceMarkdown(program: Command): string {
  const help = program.createHelp();
  const lines = [
    '# CLI reference: `nightshift`',
    '',
    '<!-- Generated from the command definitions by `npm run docs`; do not edit by hand. -->',
    '',
    'Every command takes `--app NAME` to act on an app other than the one whose `.paas/app.yaml` is in the',
    'current folder, and `--help`. Exit status: 0 done, 1 failed, 2 bad usage. The environment variables the CLI',
    'and the daemon read are listed at the end of `nightshift --help`.',
    '',
  ];
  for (const { path, command } of commandPaths(program)) {
    lines.push(
      `## \`${path}\``,
      '',
      command.description(),
      '',
      '```',
      usageOf(command, help).trim(),
      '```',
      '',
    );
    const args = command.registeredArguments.filter((a) => a.description);
    if (args.length > 0) {
      lines.push('Arguments:', '');
      for (const a of args) lines.push(`- \`${argumentText(a)}\`: ${a.description}`);
      lines.push('');
    }
    const options = command.options.filter((o) => !o.hidden);
    if (options.length > 0) {
      lines.push('Options:', '');
      for (const o of options) {
        const fallback =
          o.defaultValue === undefined || typeof o.defaultValue === 'boolean'
            ? ''
            : ` (default: ${String(o.defaultValue)})`;
        lines.push(`- \`${o.flags}\`: ${o.description}${fallback}`);
      }
      lines.push('');
    }
    const list = examples[path];
    if (list) {
      lines.push('Examples:', '', '```sh');
      for (const [cmd, what] of list) lines.push(`${cmd}  # ${what}`);
      lines.push('```', '');
    }
  }
  return lines.join('\n');
}
