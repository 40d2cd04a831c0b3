// docs/cli.md rendered in memory from the command definitions. Shared by gen-reference.mjs (which writes it)
// and the unit test (which fails when the committed copy is stale).
import { format, resolveConfig } from 'prettier';

export const repoRoot = new URL('../../../', import.meta.url);
export const CLI_REFERENCE_PATH = 'docs/cli.md';

/** @param {{ buildProgram(): unknown, cliReferenceMarkdown(program: unknown): string }} cli from src or dist */
export async function renderCliReference(cli) {
  const options = (await resolveConfig(new URL(CLI_REFERENCE_PATH, repoRoot))) ?? {};
  return format(cli.cliReferenceMarkdown(cli.buildProgram()), { ...options, parser: 'markdown' });
}
