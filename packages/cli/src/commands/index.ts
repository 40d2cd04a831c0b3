import type { Command } from '@commander-js/extra-typings';

/** A command registers itself (and its subcommands) on the root program. */
export type RegisterCommand = (program: Command) => void;

/** Every top-level command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [];
