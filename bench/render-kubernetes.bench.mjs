// Cost of `nightshift render kubernetes`: parsing the manifest (baseline, needed by any render), rendering one
// region, serialising it, and the schedule walk behind startingDeadlineSeconds (146,097 days per cron).
import { readFileSync } from 'node:fs';
import { parseManifest } from '@nightshift/manifest';
import {
  header,
  longestGapSeconds,
  parseSchedule,
  renderKubernetes,
  toYamlStream,
} from '@nightshift/render-kubernetes';

const text = readFileSync(
  new URL('../packages/render-kubernetes/test/fixtures/design.yaml', import.meta.url),
  'utf8',
);
const options = { file: 'app.yaml', now: new Date('2026-01-01T00:00:00Z') };
const ROUNDS = 200;

function perOp(start, count) {
  return { metrics: { 'µs/op': Math.round(((performance.now() - start) * 1000) / count) } };
}

function spec() {
  const parsed = parseManifest(text, options);
  if (!parsed.ok) throw new Error('design.yaml does not parse');
  return parsed.spec;
}

function render(s) {
  const result = renderKubernetes(s, { image: 'registry.example.com/shop:v1', region: 'eu-west' });
  if (!result.ok) throw new Error('design.yaml is refused');
  return result;
}

function gap(expression) {
  const parsed = parseSchedule(expression);
  if (!parsed.ok) throw new Error(parsed.reason);
  return longestGapSeconds(parsed.schedule);
}

export default {
  title: `render kubernetes: ${ROUNDS} rounds per run (DESIGN §2 manifest, one region, 9 objects)`,
  runs: 7,
  warmup: 2,
  baseline: {
    name: 'parseManifest',
    run: () => {
      const start = performance.now();
      for (let i = 0; i < ROUNDS; i++) spec();
      return perOp(start, ROUNDS);
    },
  },
  cases: [
    {
      name: 'parseManifest + render',
      run: () => {
        const start = performance.now();
        for (let i = 0; i < ROUNDS; i++) render(spec());
        return perOp(start, ROUNDS);
      },
    },
    {
      name: 'parseManifest + render + YAML',
      run: () => {
        const start = performance.now();
        let bytes = 0;
        for (let i = 0; i < ROUNDS; i++)
          bytes = toYamlStream(render(spec()).objects, header('shop', 'eu-west', 'v1')).length;
        return { metrics: { ...perOp(start, ROUNDS).metrics, 'YAML bytes': bytes } };
      },
    },
    {
      name: 'longest gap "* * * * *"',
      run: () => {
        const start = performance.now();
        for (let i = 0; i < ROUNDS; i++) gap('* * * * *');
        return perOp(start, ROUNDS);
      },
    },
    {
      name: 'longest gap "0 12 29 2 *"',
      run: () => {
        const start = performance.now();
        for (let i = 0; i < ROUNDS; i++) gap('0 12 29 2 *');
        return perOp(start, ROUNDS);
      },
    },
  ],
};
