import { stringify } from 'yaml';
import type { Starter, StarterProcess } from './starter.js';

/** A scalar as YAML writes it: quoted only when it has to be (a leading `*` or `-`, a `: ` inside). */
function scalar(value: string | number): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** `key: value  # note`, at an indent. */
function field(indent: string, key: string, value: string | number, note: string): string {
  const line = `${indent}${key}: ${scalar(value)}`;
  return note === '' ? line : `${line} # ${note}`;
}

function processLines(p: StarterProcess, web: boolean): string[] {
  const lines: string[] = [];
  const i = web ? '  ' : '    ';
  if (!web)
    lines.push(`  - name: ${scalar(p.name)} # from ${p.from}; \`nightshift logs ${p.name}\` shows it`);
  lines.push(
    field(
      i,
      'start',
      p.start,
      web
        ? `from ${p.from}; must listen on $PORT`
        : 'run as is (shell syntax through /bin/sh -c); restarted with backoff when it exits',
    ),
  );
  if (web) {
    lines.push(field(i, 'port', p.port ?? 5000, 'given to it as PORT; pick the one it listens on today'));
  }
  if (web && p.replicas && p.replicas.count > 1) {
    // The local driver runs one web replica (a shared port); the count would only matter on Kubernetes.
    lines.push(
      `${i}# ${p.replicas.note}: the local driver runs one web replica; set replicas for Kubernetes`,
    );
  } else if (p.replicas && !web) {
    const why =
      p.replicas.note ||
      'how many run; `nightshift scale NAME=N` changes it until the next deploy changes this';
    lines.push(field(i, 'replicas', p.replicas.count, why.replace('NAME', p.name)));
  }
  if (p.stopGrace)
    lines.push(
      field(i, 'stop_grace', p.stopGrace.value, `SIGTERM, then SIGKILL after this (${p.stopGrace.note})`),
    );
  if (p.memory) {
    lines.push(`${i}resources: # limits per replica`);
    lines.push(field(`${i}  `, 'memory', p.memory.value, p.memory.note));
  }
  if (p.env) {
    lines.push(`${i}env: # plain config for this process; secrets belong in \`nightshift secrets set\``);
    for (const [k, v] of Object.entries(p.env)) lines.push(field(`${i}  `, scalar(k), v, ''));
  }
  for (const note of p.notes ?? []) lines.push(`${i}# ${note}`);
  return lines;
}

/** The starter as `.paas/app.yaml`: a comment on every field, saying where it came from and what it does. */
export function renderStarter(s: Starter): string {
  const lines = [
    `# Written by \`nightshift init\` from ${s.source}. Every field: docs/manifest.md.`,
    '# Check it with `nightshift validate`, deploy it with `nightshift up`.',
    field('', 'name', s.name, "the app's name (from the folder's); --app NAME in commands run elsewhere"),
  ];
  if (s.predeploy) {
    lines.push(
      field(
        '',
        'predeploy',
        s.predeploy.command,
        `from ${s.predeploy.from}; once per release, before web starts`,
      ),
    );
  }
  if (s.web) {
    lines.push(
      `web: # ${s.web.from.startsWith('Procfile') ? 'the web process' : `from ${s.web.from}`}: gets PORT`,
    );
    lines.push(...processLines(s.web, true));
  }
  if (s.workers.length > 0) {
    lines.push('workers: # long-running processes; they never get PORT');
    for (const w of s.workers) lines.push(...processLines(w, false));
  }
  return lines.join('\n') + '\n';
}
