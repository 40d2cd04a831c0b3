import { expect, test } from 'vitest';
import { locateField } from '../src/index.js';

const TEXT = `name: shop
workers:
  - name: emails
    start: node w.js
    restart: { backoff: 1s }
    regions:
      us-east: { autoscale: { min: 0 } }
cron:
  - name: nightly
    schedule: "@daily"
    command: node n.js
`;

test.each([
  ['workers[0].restart.backoff', { line: 5, column: 25 }],
  ['workers[0].regions.us-east.autoscale.min', { line: 7, column: 36 }],
  ['cron[0].overlap', { line: 9, column: 5 }], // defaulted: the cron entry itself
  ['cron[0].schedule', { line: 10, column: 15 }],
])('%s', (field, at) => {
  expect(locateField(TEXT, field)).toEqual(at);
});

test('options and broken YAML have no position', () => {
  expect(locateField(TEXT, '--image')).toBeNull();
  expect(locateField('a: [', 'a')).toBeNull();
});
