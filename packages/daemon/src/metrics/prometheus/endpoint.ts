import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as PromClient from 'prom-client';
import { buildRegistry, type SeriesSources } from './daemon-series.js';
import { type Family, type Sample, renderFamilies, withLabels } from './exposition.js';
import type { ScrapeResult } from './scraper.js';

/** Text format 0.0.4, what Prometheus asks for first. */
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `/metrics`: the daemon's own series, then every replica's scraped series with `app`, `process` and `replica`
 * labels added. A scraped family named like one of the daemon's own is left out (two families of one name would
 * make the whole answer invalid).
 */
export class PrometheusEndpoint {
  #sources: SeriesSources;
  #registry: PromClient.Registry | null = null;

  constructor(sources: SeriesSources) {
    this.#sources = sources;
  }

  async render(): Promise<string> {
    const registry = (this.#registry ??= buildRegistry(this.#sources));
    const own = await registry.metrics();
    const ownNames = new Set(registry.getMetricsAsArray().map((m) => m.name));
    return own + renderFamilies(mergeScraped(this.#sources.scrapes(), ownNames));
  }

  /** Answers GET (and HEAD) with the exposition; anything else is 405. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    this.render().then(
      (text) => {
        res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`# ${(err as Error).message}\n`);
      },
    );
  };
}

/** One family per name across replicas, in first-seen order; a family whose type disagrees is left out. */
export function mergeScraped(results: readonly ScrapeResult[], reserved: ReadonlySet<string>): Family[] {
  const merged = new Map<string, { name: string; help: string; type: Family['type']; samples: Sample[] }>();
  for (const r of results) {
    const added = { app: r.app, process: r.process, replica: r.replica };
    for (const f of r.families) {
      if (reserved.has(f.name)) continue;
      let into = merged.get(f.name);
      if (!into) merged.set(f.name, (into = { name: f.name, help: f.help, type: f.type, samples: [] }));
      else if (into.type !== f.type) continue;
      for (const s of f.samples) into.samples.push({ ...s, labels: withLabels(s.labels, added) });
    }
  }
  return [...merged.values()];
}
