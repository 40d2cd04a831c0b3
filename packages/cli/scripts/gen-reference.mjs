// `npm run docs`: writes docs/cli.md from the built CLI's command definitions. Run after changing a command.
import { writeFileSync } from 'node:fs';
import * as cli from '../dist/index.js';
import { CLI_REFERENCE_PATH, renderCliReference, repoRoot } from './reference.mjs';

writeFileSync(new URL(CLI_REFERENCE_PATH, repoRoot), await renderCliReference(cli));
console.log(`wrote ${CLI_REFERENCE_PATH}`);
