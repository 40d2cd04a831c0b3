import { describe, expect, it } from 'vitest';
import { mergeScraped } from '../../src/metrics/prometheus/endpoint.js';
import { parseExposition, renderFamilies, withLabels } from '../../src/metrics/prometheus/exposition.js';
import type { ScrapeResult } from '../../src/metrics/prometheus/scraper.js';

const TARGET = `# HELP jobs_total Jobs done.
# TYPE jobs_total counter
jobs_total{queue="emails"} 3
jobs_total{queue="sms",note="a \\"quoted\\" \\\\ value"} 1
# HELP job_seconds Job time.
# TYPE job_seconds histogram
job_seconds_bucket{queue="emails",le="1"} 1
job_seconds_bucket{queue="emails",le="+Inf"} 2
job_seconds_sum{queue="emails"} 1.5
job_seconds_count{queue="emails"} 2
job_seconds_bucket{queue="sms",le="1"} 0
job_seconds_bucket{queue="sms",le="+Inf"} 1
job_seconds_sum{queue="sms"} 4
job_seconds_count{queue="sms"} 1
# TYPE rpc summary
rpc{quantile="0.5"} 0.2
rpc_sum 10
rpc_count 40
up_since 1.7e9
`;

const result = (replica: string, text: string): ScrapeResult => ({
  app: 'shop',
  process: replica.split('.')[0]!,
  replica,
  up: true,
  durationSeconds: 0.01,
  families: parseExposition(text),
  error: null,
  failures: 0,
});

describe("replicas' expositions", () => {
  it('keeps every labelled series of a histogram or summary apart, with its type and help', () => {
    const families = parseExposition(TARGET);
    expect(families.map((f) => [f.name, f.type])).toEqual([
      ['jobs_total', 'counter'],
      ['job_seconds', 'histogram'],
      ['rpc', 'summary'],
      ['up_since', 'untyped'],
    ]);
    const hist = families[1]!;
    expect(hist.help).toBe('Job time.');
    expect(hist.samples).toHaveLength(8);
    expect(hist.samples.find((s) => s.name === 'job_seconds_sum' && s.labels.queue === 'sms')?.value).toBe(
      '4',
    );
    expect(families[0]!.samples[1]!.labels.note).toBe('a "quoted" \\ value');
  });

  it('adds app, process and replica (a clashing label of the target becomes exported_*) and renders text that parses back', () => {
    expect(withLabels({ app: 'theirs', q: 'x' }, { app: 'shop' })).toEqual({
      exported_app: 'theirs',
      q: 'x',
      app: 'shop',
    });
    const merged = mergeScraped(
      [result('emails.1', TARGET), result('emails.2', TARGET)],
      new Set(['up_since']),
    );
    expect(merged.map((f) => f.name)).toEqual(['jobs_total', 'job_seconds', 'rpc']);
    const text = renderFamilies(merged);
    expect(text.match(/^# TYPE job_seconds histogram$/gm)).toHaveLength(1);
    expect(text).toContain(
      'jobs_total{queue="sms",note="a \\"quoted\\" \\\\ value",app="shop",process="emails",replica="emails.2"} 1',
    );
    const again = parseExposition(text);
    expect(again.find((f) => f.name === 'job_seconds')!.samples).toHaveLength(16);
  });

  it('refuses text that is not the format (the scrape counts as down)', () => {
    expect(() => parseExposition('# TYPE x counter extra\n')).toThrow();
    // The library reads these as metrics; the checks after it do not let them through.
    expect(() => parseExposition('not a metric line at all {\n')).toThrow(/value/);
    expect(() => parseExposition('<html><body>hi</body></html>\n')).toThrow(/metric name/);
    expect(() => parseExposition('x{a="b" 1\n')).toThrow();
  });
});
