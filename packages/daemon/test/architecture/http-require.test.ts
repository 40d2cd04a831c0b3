import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sources } from './sources.js';

// An ESM import of node:http or node:https builds the module's namespace, which evaluates its lazy WebSocket,
// CloseEvent and MessageEvent getters and loads undici: +16 MB resident for the daemon's life. The daemon loads
// them with require (runtime/builtins.ts) instead, and imports only their types.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function importsHttpAtRuntime(text: string): boolean {
  return (
    /^import\s+(?!type\b)[^'"]*?from\s+'(?:node:)?https?'/m.test(text) ||
    /^import\s+'(?:node:)?https?'/m.test(text) ||
    /(?<!typeof )\bimport\(\s*'(?:node:)?https?'\s*\)/.test(text)
  );
}

describe('the daemon loads node:http through createRequire', () => {
  it('has no runtime ESM import of node:http or node:https', () => {
    const offenders = sources(SRC)
      .map((file) => relative(SRC, file))
      .filter((file) => importsHttpAtRuntime(readFileSync(join(SRC, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('tells a value import from a type import', () => {
    expect(importsHttpAtRuntime("import { createServer } from 'node:http';")).toBe(true);
    expect(importsHttpAtRuntime("import * as https from 'https';")).toBe(true);
    expect(importsHttpAtRuntime("import type { Server } from 'node:http';")).toBe(false);
    expect(importsHttpAtRuntime("const http = await import('node:http');")).toBe(true);
    expect(importsHttpAtRuntime("import type * as Http from 'node:http';")).toBe(false);
    expect(importsHttpAtRuntime("require('node:http') as typeof import('node:http')")).toBe(false);
  });
});
