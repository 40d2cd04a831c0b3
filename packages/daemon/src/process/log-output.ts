import type { LogService } from '../logs/index.js';
import type { OutputSink } from './output.js';

/** The output port over the log pipeline: captured streams go to the app's logs; crash events read the last lines. */
export function logOutput(logs: LogService): OutputSink {
  return {
    capture: (target, stream, readable) => logs.capture(target, stream, readable),
    lastLines: (app, source, n) => logs.lastLines(app, source, n).map((line) => line.message),
  };
}
