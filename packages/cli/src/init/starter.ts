/**
 * A starter manifest before it is written: what `nightshift init` found, each field with the note that becomes
 * its comment (why the value is what it is, and where it came from).
 */
export interface StarterProcess {
  readonly name: string;
  readonly start: string;
  readonly from: string;
  readonly replicas?: { readonly count: number; readonly note: string };
  readonly port?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly stopGrace?: { readonly value: string; readonly note: string };
  readonly memory?: { readonly value: string; readonly note: string };
  /** What the source said that has no field here: written as comments under the process. */
  readonly notes?: readonly string[];
}

export interface Starter {
  /** `Procfile`, `package.json` or `ecosystem.config.js`: named in the header and the comments. */
  readonly source: string;
  readonly name: string;
  readonly predeploy?: { readonly command: string; readonly from: string };
  readonly web?: StarterProcess;
  readonly workers: readonly StarterProcess[];
}

/**
 * A name the manifest accepts for a process (`[A-Za-z][A-Za-z0-9_-]{0,39}`), from a Procfile type, a script or a
 * PM2 app name (`API Server` → `API-Server`); null when nothing of it is usable.
 */
export function processName(raw: string): string | null {
  const name = raw
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return name === '' ? null : name;
}
