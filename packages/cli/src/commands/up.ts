import { api } from '@nightshift/protocol';
import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import type { DeployResponse } from '@nightshift/protocol';
import { type CliContext, cliContext, MANIFEST } from '../lib/context.js';
import { ensureDaemon } from '../lib/daemon-process.js';
import { printJson } from '../output.js';
import { guardNote, waitForVerdict } from './guard-wait.js';
import { printPs } from './ps.js';

/** Deploys a folder, streaming the build's output to stderr (data stays on stdout). */
async function deployFolder(
  ctx: CliContext,
  dir: string,
  opts: { file: string; ref?: string | undefined; quiet?: boolean },
): Promise<DeployResponse> {
  const abs = resolve(dir);
  process.stderr.write(`deploying ${abs}${opts.ref ? ` at ${opts.ref}` : ''} …\n`);
  const result = await ctx.client.postNdjson(
    api.deploy,
    { body: { dir: abs, manifest: opts.file, ...(opts.ref ? { ref: opts.ref } : {}) } },
    (line) => {
      if (!opts.quiet) process.stderr.write(`  | ${line}\n`);
    },
  );
  for (const warning of result.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
  return result;
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description('start the daemon if needed, deploy the app in this folder, and show its processes')
    .argument('[dir]', "the app's folder", '.')
    .option('-f, --file <path>', 'the manifest, relative to the folder', MANIFEST)
    .option('--json', 'print the result as JSON')
    .action(async (dir, opts) => {
      const ctx = cliContext();
      const { started } = await ensureDaemon(ctx);
      if (started) process.stderr.write(`started the daemon (home ${ctx.paths.home})\n`);
      const result = await deployFolder(ctx, dir, { file: opts.file });
      const ps = await ctx.client.call(api.ps, { params: { app: result.app } });
      if (opts.json) {
        printJson({ ...result, ps: ps.replicas });
        return;
      }
      process.stderr.write(`${result.app} ${result.release} is live\n`);
      process.stderr.write(`${guardNote(result.release, result.guard)}\n`);
      printPs(ps);
    });

  program
    .command('deploy')
    .description('build a new release from the folder (or a git ref) and switch every process to it, rolling')
    .argument('[dir]', "the app's folder", '.')
    .option('-f, --file <path>', 'the manifest, relative to the folder', MANIFEST)
    .option(
      '--ref <ref>',
      'deploy this git commit, branch or tag (git archive) instead of the working folder',
    )
    .option('-q, --quiet', 'do not stream the build log')
    .option(
      '--wait',
      "wait for the deploy guard's verdict (deploy.watch); exit 1 with the reason when it rolled the release back",
    )
    .option('--json', 'print the result as JSON')
    .action(async (dir, opts) => {
      const ctx = cliContext();
      const result = await deployFolder(ctx, dir, {
        file: opts.file,
        ref: opts.ref,
        quiet: opts.quiet ?? false,
      });
      if (opts.json) printJson(result);
      else process.stderr.write(`${result.app} ${result.release} is live\n`);
      process.stderr.write(
        `${guardNote(result.release, result.guard)}${result.guard && !opts.wait ? '; `deploy --wait` waits for the verdict' : ''}\n`,
      );
      if (opts.wait && result.guard) await waitForVerdict(ctx, result.app, result.release);
    });
}
