// Prints the closing line `N passed, N failed` from Vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.log(`no test report at ${file} (${err.code ?? err.message})`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const suiteFailures = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && r.assertionResults?.length === 0,
).length;
console.log(`${passed} passed, ${failed + suiteFailures} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed + suiteFailures > 0 || passed === 0 ? 1 : 0);
