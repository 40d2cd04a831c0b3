import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as cli from '../src/index.js';
import { CLI_REFERENCE_PATH, renderCliReference, repoRoot } from '../scripts/reference.mjs';

describe('CLI reference', () => {
  it(`${CLI_REFERENCE_PATH} is up to date (npm run docs)`, async () => {
    const committed = readFileSync(new URL(CLI_REFERENCE_PATH, repoRoot), 'utf8');
    expect(committed).toBe(await renderCliReference(cli));
  });

  it('documents every command, and every example names a real command', () => {
    const paths = cli.commandPaths(cli.buildProgram()).map((c) => c.path);
    const doc = cli.cliReferenceMarkdown(cli.buildProgram());
    for (const path of paths) expect(doc).toContain(`## \`${path}\``);
    for (const [path, list] of Object.entries(cli.examples)) {
      expect(paths, `examples for "${path}"`).toContain(path);
      for (const [command] of list) expect(command.startsWith(`nightshift ${path}`), command).toBe(true);
    }
  });

  it('shows a command’s examples in its --help', () => {
    const scale = cli.buildProgram().commands.find((c) => c.name() === 'scale')!;
    expect(scale.helpInformation() + '').toContain('Usage: nightshift scale');
    let out = '';
    scale.configureOutput({ writeOut: (s) => (out += s) });
    scale.outputHelp();
    expect(out).toContain('nightshift scale orders+2');
  });
});
