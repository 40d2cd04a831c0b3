import { Option, type Command } from '@commander-js/extra-typings';
import { MANIFEST } from '../lib/context.js';

/** Registers `render kubernetes`. */
export function registerRender(program: Command): void {
  const render = program.command('render').description('render the manifest for another platform');
  render
    .command('kubernetes')
    .description('print the Kubernetes objects of one region (one cluster), or write every region with -o')
    .option('-f, --file <path>', 'the manifest', MANIFEST)
    .option('--region <region>', "region to render (default: the manifest's only region)")
    .option('--image <image>', 'container image of every process (default: <app>:latest)')
    .option('--release <release>', "release label and NIGHTSHIFT_RELEASE (default: the image's tag)")
    .option('--namespace <namespace>', "namespace of every object (default: the app's name)")
    .addOption(
      new Option('--secrets <mode>', 'ref: pods reference an existing Secret; inline: write it')
        .choices(['ref', 'inline'] as const)
        .default('ref' as const),
    )
    .option('--secrets-file <path>', 'NAME=value lines for --secrets inline')
    .option('--secret-name <name>', "the Secret holding the manifest's secrets (default: <app>-secrets)")
    .addOption(
      new Option('--prometheus <mode>', 'how Prometheus finds metrics')
        .choices(['podmonitor', 'annotations', 'none'] as const)
        .default('podmonitor' as const),
    )
    .option(
      '--monitoring-namespace <namespace>',
      'namespace allowed to scrape metrics ports (default: monitoring)',
    )
    .option('--redis-url-secret <name>', 'Secret with the Redis URL under `url` (default: <app>-redis)')
    .option(
      '--rabbitmq-url-secret <name>',
      'Secret with the RabbitMQ URL under `url`, for KEDA (default: <app>-rabbitmq)',
    )
    .option('-o, --out <dir>', 'write one file per object under DIR/<region>/ instead of printing')
    .action(async (flags) => {
      // Loaded on use: the manifest and render packages would slow every other command's start.
      const { run } = await import('./render-run.js');
      run(flags);
    });
}
