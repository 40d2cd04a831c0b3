import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { git } from './git.js';
import { snapshotFolder } from './snapshot.js';

/**
 * Puts the app's code into `dest`: the working folder as git sees it, or — with `ref` — exactly that
 * commit (`git archive`), so a deploy can be reproduced. Returns a description of the source.
 */
export async function stageSource(dir: string, dest: string, ref: string | undefined): Promise<string> {
  if (ref === undefined) return (await snapshotFolder(dir, dest)).source;
  let commit: string;
  try {
    commit = (await git(['rev-parse', '--verify', `${ref}^{commit}`], dir)).trim();
  } catch {
    throw new NightshiftError(
      ErrorCodes.snapshotFailed,
      `"${ref}" is not a commit of the git repository in ${dir}`,
      'give a branch, tag or commit that `git rev-parse` knows, or deploy the working folder without --ref',
    );
  }
  await mkdir(dest, { recursive: true, mode: 0o700 });
  const prefix = (await git(['rev-parse', '--show-prefix'], dir)).trim();
  await new Promise<void>((resolve, reject) => {
    // Archive the app's own subfolder when it lives inside a larger repository.
    const archive = spawn('git', ['archive', '--format=tar', prefix ? `${commit}:${prefix}` : commit], {
      cwd: dir,
    });
    const untar = spawn('tar', ['-x', '-C', dest]);
    archive.stdout.pipe(untar.stdin);
    let err = '';
    archive.stderr.on('data', (c: Buffer) => (err += c.toString()));
    untar.stderr.on('data', (c: Buffer) => (err += c.toString()));
    untar.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new NightshiftError(
              ErrorCodes.snapshotFailed,
              `git archive of ${ref} failed: ${err.trim()}`,
              'check the repository',
            ),
          ),
    );
  });
  return `${dir} @ ${ref} (${commit.slice(0, 12)})`;
}
