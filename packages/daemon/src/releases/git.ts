import { execFile } from 'node:child_process';

/**
 * Runs git and resolves with its stdout, or rejects with its error. A small promise of our own rather than
 * `promisify(execFile)`: node:util would stay in the daemon's memory for good (see runtime/builtins.ts).
 */
export function git(args: readonly string[], cwd: string, maxBuffer = 16 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', args, { cwd, maxBuffer, encoding: 'utf8' }, (err: Error | null, stdout: string) =>
      err === null ? resolve(stdout) : reject(err),
    ),
  );
}
