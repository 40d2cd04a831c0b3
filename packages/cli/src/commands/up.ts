import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import type { DeployResponse, PsResponse } from '@nightshift/protocol';
import { cliContext, MANIFEST } from '../lib/context.js';
import { ensureDaemon } from '../lib/daemon-process.js';
import { printJson } from '../output.js';
import { printPs } from './ps.js';

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
      const abs = resolve(dir);
      process.stderr.write(`deploying ${abs} …\n`);
      const result = await ctx.client.post<DeployResponse>('/deploy', { dir: abs, manifest: opts.file });
      const ps = await ctx.client.get<PsResponse>(`/apps/${result.app}/ps`);
      if (opts.json) {
        printJson({ ...result, ps: ps.replicas });
        return;
      }
      process.stderr.write(`${result.app} ${result.release} is live\n`);
      printPs(ps);
    });

  program
    .command('deploy')
    .description('build a new release of the app in this folder and make it live')
    .argument('[dir]', "the app's folder", '.')
    .option('-f, --file <path>', 'the manifest, relative to the folder', MANIFEST)
    .option('--json', 'print the result as JSON')
    .action(async (dir, opts) => {
      const ctx = cliContext();
      const result = await ctx.client.post<DeployResponse>('/deploy', { dir: resolve(dir), manifest: opts.file });
      if (opts.json) printJson(result);
      else process.stderr.write(`${result.app} ${result.release} is live\n`);
    });
}
