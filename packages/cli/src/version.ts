import { createRequire } from 'node:module';

// Through the package's own name, so the path holds from dist/ and from the bundle alike.
const pkg = createRequire(import.meta.url)('@nightshift/cli/package.json') as { version: string };
export const version: string = pkg.version;
