import { Command, CommanderError } from '@commander-js/extra-typings';
import { commands } from './commands/index.js';
import { environmentHelp } from './environment-help.js';
import { exitCodeOf, printError } from './output.js';
import { commandPaths, examplesHelp } from './reference.js';
import { version } from './version.js';

/** Builds the whole command tree. Each command lives in its own file under `commands/`. */
export function buildProgram(): Command {
  const program = new Command('nightshift')
    .description("Run an app's workers, cron jobs and web process from one manifest and one release.")
    .version(version, '-V, --version')
    .option('--app <name>', 'the app to act on (default: the manifest in the current folder)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', environmentHelp())
    .exitOverride();
  for (const register of commands) register(program);
  for (const { path, command } of commandPaths(program)) {
    const text = examplesHelp(path);
    if (text) command.addHelpText('after', text);
  }
  return program;
}

/** Runs the CLI and returns the exit status: 0 ok, 1 failure, 2 usage. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version come through here with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    printError(err);
    return exitCodeOf(err);
  }
}
