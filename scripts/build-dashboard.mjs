// Builds the dashboard (packages/dashboard) into @nightshift/daemon's dist/dashboard, after `tsc -b`: its types
// are checked first (Vite only strips them), then Vite bundles it, then every text asset gets a .gz beside it,
// made here once so the daemon serves compressed answers without loading zlib (api/dashboard/pages.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dashboard = join(root, 'packages', 'dashboard');
const out = join(root, 'packages', 'daemon', 'dist', 'dashboard');

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const check = spawnSync(process.execPath, [tsc, '--noEmit', '-p', dashboard], { stdio: 'inherit' });
if (check.status !== 0) process.exit(check.status ?? 1);

await build({ configFile: join(dashboard, 'vite.config.mjs'), logLevel: 'warn' });

for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|css|html|svg|json)$/.test(entry.name)) continue;
  const file = join(entry.parentPath, entry.name);
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
}
