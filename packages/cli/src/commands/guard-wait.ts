import { api, ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { GuardWindow, ReleaseEntry } from '@nightshift/protocol';
import type { CliContext } from '../lib/context.js';
import { shortDuration } from '../lib/format.js';

/** How often `deploy --wait` asks for the verdict: the window is minutes, a second of delay does not matter. */
const POLL_MS = 500;

/** `the deploy guard watches v3 for 2m (until 16:40:00 UTC)`, or that it is off. */
export function guardNote(release: string, guard: GuardWindow | null): string {
  if (!guard) return `the deploy guard is off for ${release} (deploy.watch: 0)`;
  return `the deploy guard watches ${release} for ${shortDuration(guard.watchMs)} (until ${guard.until.slice(11, 19)} UTC): a replica crashing 3 times or failing its probe twice rolls it back`;
}

/**
 * Waits until the guard decides on `release` and reports it: resolves when the release is kept (or was never
 * watched), throws NS_DEPLOY_ROLLED_BACK with the guard's reason when it was rolled back.
 */
export async function waitForVerdict(ctx: CliContext, app: string, release: string): Promise<void> {
  for (;;) {
    const list = await ctx.client.call(api.releases, { params: { app } });
    const entry = list.find((r) => r.version === release);
    const verdict = entry ? verdictOf(entry) : 'gone';
    if (verdict === 'watching') {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    if (verdict === 'rolled-back' || verdict === 'failed') {
      const live = list.find((r) => r.live)?.version ?? 'no release';
      const why = entry?.guard?.reason ?? 'no reason recorded';
      throw new NightshiftError(
        ErrorCodes.deployRolledBack,
        verdict === 'rolled-back'
          ? `the deploy guard rolled ${release} of ${app} back: ${why}; ${live} is live`
          : `${release} of ${app} failed the deploy guard: ${why}`,
        'the evidence is in `nightshift events` (deploy:rolled-back) and `nightshift logs`; fix the release and deploy again',
      );
    }
    process.stderr.write(
      verdict === 'kept'
        ? `${release} passed the deploy guard and stays live\n`
        : `${release} is no longer watched (${verdict}): ${entry?.outcome ?? 'release removed'}\n`,
    );
    return;
  }
}

function verdictOf(entry: ReleaseEntry): string {
  return entry.guard?.state ?? 'not watched';
}
