import { copyFile, mkdir, readdir, stat, chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { git } from './git.js';

const SKIP_DIRS = new Set(['node_modules', '.git']);

/**
 * Copies the app's folder into a release folder: the files git tracks plus untracked files it does not
 * ignore, or — outside a git checkout — everything but `node_modules` and `.git`. Returns how it chose.
 */
export async function snapshotFolder(src: string, dest: string): Promise<{ source: string; files: number }> {
  const fromGit = await gitFiles(src);
  const files = fromGit?.files ?? (await walk(src, ''));
  await mkdir(dest, { recursive: true, mode: 0o700 });
  try {
    for (const rel of files) {
      const from = join(src, rel);
      const info = await stat(from).catch(() => null);
      if (!info?.isFile()) continue; // deleted-but-tracked files and submodules are skipped
      const to = join(dest, rel);
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
      await chmod(to, info.mode & 0o777);
    }
  } catch (err) {
    throw new NightshiftError(
      ErrorCodes.snapshotFailed,
      `could not copy ${src} into the release: ${(err as Error).message}`,
      'check that the folder is readable and the disk has space',
      { cause: err },
    );
  }
  return { source: fromGit ? `${src} (git ${fromGit.commit})` : src, files: files.length };
}

async function gitFiles(dir: string): Promise<{ files: string[]; commit: string } | null> {
  try {
    const stdout = await git(
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      dir,
      256 * 1024 * 1024,
    );
    const commit = await git(['rev-parse', '--short', 'HEAD'], dir)
      .then((out) => out.trim())
      .catch(() => 'no commits');
    return { files: [...new Set(stdout.split('\0').filter(Boolean))], commit };
  } catch {
    return null;
  }
}

async function walk(root: string, rel: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...(await walk(root, path)));
    } else if (entry.isFile()) {
      out.push(path);
    }
  }
  return out;
}
