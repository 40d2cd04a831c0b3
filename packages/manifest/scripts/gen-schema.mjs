// `npm run schema`: writes the JSON Schema of .paas/app.yaml, the manifest reference (docs/manifest.md) and the
// manifest section of docs/errors.md, all generated from the built package. Run after changing the schema.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as manifest from '../dist/index.js';
import { renderGenerated, repoRoot } from './generated.mjs';

for (const [path, content] of Object.entries(await renderGenerated(manifest))) {
  const url = new URL(path, repoRoot);
  mkdirSync(new URL('.', url), { recursive: true });
  writeFileSync(url, content);
  console.log(`wrote ${path}`);
}
