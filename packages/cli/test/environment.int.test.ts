import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs the built bin (build first: `npm run build`).

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'packages/cli/bin/nightshift.js');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts'))
    .map((name) => join(root, dir, name));
}

/**
 * The variables the CLI and the daemon read from their own environment: `env.NAME` and `env['NAME']` that are
 * not assignments (those build a child's environment), and names kept in `*_ENV` constants.
 */
function variablesRead(): string[] {
  const names = new Set<string>();
  const files = [
    ...sourceFiles('packages/cli/src'),
    ...sourceFiles('packages/cli/bin'),
    ...sourceFiles('packages/daemon/src'),
    ...sourceFiles('packages/protocol/src'),
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?<!delete )\benv\.([A-Z][A-Z0-9_]+)\b(?!\s*=[^=])/g)) names.add(m[1]!);
    for (const m of text.matchAll(/\benv\[['"]([A-Z][A-Z0-9_]+)['"]\](?!\s*=[^=])/g)) names.add(m[1]!);
    for (const m of text.matchAll(/_ENV = '([A-Z][A-Z0-9_]+)'/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

describe('the environment variables Nightshift reads', () => {
  const read = variablesRead();

  it('are found in the sources (the scan itself works)', () => {
    expect(read).toEqual(
      expect.arrayContaining([
        'NIGHTSHIFT_HOME',
        'NIGHTSHIFT_HTTP_PORT',
        'NIGHTSHIFT_MASTER_KEY',
        'NO_COLOR',
      ]),
    );
  });

  it('are each listed in `nightshift --help` and `nightshift daemon --help`', () => {
    for (const args of [['--help'], ['daemon', '--help']]) {
      const help = execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
      const listed = help.slice(help.indexOf('\nEnvironment:\n'));
      expect(
        read.filter((name) => !listed.includes(name)),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it("are each listed in the README's Environment section", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Environment'),
      readme.indexOf('\n## ', readme.indexOf('## Environment') + 1),
    );
    expect(read.filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });
});
