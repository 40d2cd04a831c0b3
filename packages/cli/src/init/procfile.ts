import type { Starter, StarterProcess } from './starter.js';
import { processName } from './starter.js';

/**
 * A Procfile (`type: command` a line, Heroku's format): `web` is the web process, `release` the predeploy hook
 * (Heroku runs it once per release, before the new processes start: the same contract), every other type a
 * worker with one replica.
 */
export function fromProcfile(text: string, app: string): Starter {
  let web: StarterProcess | undefined;
  let predeploy: Starter['predeploy'];
  const workers: StarterProcess[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.+?)[ \t]*$/.exec(line);
    if (!m) continue; // blank lines and comments
    const [, type = '', command = ''] = m;
    const from = `Procfile \`${type}\``;
    if (type === 'web') web = { name: 'web', start: command, from };
    else if (type === 'release') predeploy = { command, from };
    else {
      const name = processName(type);
      if (name !== null) workers.push({ name, start: command, from, replicas: { count: 1, note: '' } });
    }
  }
  return { source: 'Procfile', name: app, workers, ...(web && { web }), ...(predeploy && { predeploy }) };
}
