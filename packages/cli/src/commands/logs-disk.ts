import { formatDuration, formatSize } from '@nightshift/manifest/names';
import { api, type LogDiskUsage } from '@nightshift/protocol';
import { cliContext } from '../lib/context.js';
import { table } from '../lib/format.js';
import { printJson } from '../output.js';

/** `nightshift logs --disk`: what every app's logs hold on this machine, against its retention and the total cap. */
export async function printLogDisk(json: boolean): Promise<void> {
  const usage = await cliContext().client.call(api.logDisk, {});
  if (json) return printJson(usage);
  process.stdout.write(formatLogDisk(usage));
}

export function formatLogDisk(usage: LogDiskUsage): string {
  const rows = usage.apps.map((a) => [
    a.app,
    formatSize(a.bytes),
    formatSize(a.retainBytes),
    a.maxAgeMs === null ? '-' : formatDuration(a.maxAgeMs),
    String(a.files),
    String(a.compressedFiles),
    a.oldestSegmentAt ?? '-',
  ]);
  const cap = usage.totalCapBytes === null ? 'no total cap' : `total cap ${formatSize(usage.totalCapBytes)}`;
  return (
    table(
      ['APP', 'HOLDS', 'RETAIN', 'MAX AGE', 'FILES', 'COMPRESSED', 'OLDEST SEGMENT (NEWEST LINE)'],
      rows,
    ) + `all apps: ${formatSize(usage.totalBytes)} (${cap})\n`
  );
}
