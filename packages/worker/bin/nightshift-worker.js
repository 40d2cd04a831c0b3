#!/usr/bin/env node
// Runs a worker definition file: nightshift-worker FILE (see `nightshift-worker --help`).
import { main } from '../dist/cli.js';

await main(process.argv.slice(2));
