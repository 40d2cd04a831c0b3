import { describe, expect, it } from 'vitest';
import { dnsLabelOf } from '../src/index.js';
import { fixture, parse, spec } from './helpers.js';

// Defect 9 of issue 22: the seeds' own manifests name cron jobs `stale_cleanup` and `hourly_sync`, and were
// rejected. Process and cron names take letters, digits, `-` and `_`; targets that need DNS labels map them.

describe('process and cron names', () => {
  it('accepts the seeds’ manifests verbatim', () => {
    const indexer = spec(fixture('good/seed-indexer.yaml'));
    expect(indexer.cron.map((c) => c.name)).toEqual(['stale_cleanup']);
    expect(indexer.workers.map((w) => w.name)).toEqual(['indexer']);
    expect(spec(fixture('good/seed-hourly.yaml')).cron.map((c) => c.name)).toEqual([
      'nightly',
      'hourly_sync',
    ]);
  });

  it.each(['stale_cleanup', 'hourly_sync', 'Emails', 'queue-2_b', 'a'.repeat(40)])('accepts %j', (name) => {
    expect(spec(`workers: [{ name: ${name}, start: x }]\n`).workers[0]?.name).toBe(name);
    const cron = `cron: [{ name: ${name}, schedule: "@daily", command: x }]\n`;
    expect(spec(cron).cron[0]?.name).toBe(name);
  });

  it.each([
    ['_private', 'private'],
    ['2emails', 'emails'],
    ['emails.v2', 'emails-v2'],
    ['a'.repeat(41), 'a'.repeat(40)],
  ])('refuses %j with a located error and a valid suggestion', (name, suggestion) => {
    const result = parse(`workers:\n  - name: "${name}"\n    start: x\n`);
    expect(result.ok ? [] : result.errors.map((e) => `${e.line}:${e.column} ${e.code}`)).toEqual([
      '2:11 NS_MANIFEST_INVALID_NAME',
    ]);
    if (result.ok) return;
    expect(result.errors[0]?.hint).toContain('letters, digits, "-" and "_"');
    expect(result.errors[0]?.hint).toContain(`e.g. "${suggestion}"`);
  });

  it('keeps app and region names DNS labels: they name Redis users and clusters', () => {
    const result = parse('name: my_shop\nregions: [eu_west]\nworkers: [{ name: w, start: x }]\n');
    expect(result.ok ? [] : result.errors.map((e) => `${e.line}:${e.column} ${e.code}`)).toEqual([
      '1:7 NS_MANIFEST_INVALID_NAME',
      '2:11 NS_MANIFEST_INVALID_NAME',
    ]);
  });

  it('refuses names that would be one DNS label, naming both places', () => {
    const result = parse(
      'workers:\n  - name: a_b\n    start: x\ncron:\n  - name: a-b\n    schedule: "@daily"\n    command: x\n',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.column, e.code, e.message])).toEqual([
      [
        5,
        11,
        'NS_MANIFEST_NAME_CLASH',
        'cron[0].name: "a-b" and "a_b" (workers[0].name) would both be "a-b" where names must be DNS labels (Kubernetes)',
      ],
    ]);
  });

  it('maps a name to its DNS label: lower case, `_` to `-`', () => {
    expect(dnsLabelOf('stale_cleanup')).toBe('stale-cleanup');
    expect(dnsLabelOf('Hourly_Sync')).toBe('hourly-sync');
    expect(dnsLabelOf('emails')).toBe('emails');
  });
});
