import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/main.js';

// The built bin (build first): `completion bash|zsh` and `daemon --systemd-unit`.

const bin = fileURLToPath(new URL('../bin/nightshift.js', import.meta.url));

function nightshift(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-completion-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('nightshift completion', () => {
  /** What bash offers after the typed words (the last one being completed), with the generated script loaded. */
  function complete(script: string, typed: string[]): string[] {
    writeFileSync(join(dir, 'completion.bash'), script);
    const words = ['nightshift', ...typed].map((w) => `'${w}'`).join(' ');
    const out = execFileSync(
      'bash',
      [
        '-c',
        `source completion.bash; COMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _nightshift; echo "\${COMPREPLY[*]}"`,
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    return out.trim().split(/\s+/).filter(Boolean);
  }

  it('completes commands, subcommands and options in bash, from the command definitions', async () => {
    const { stdout, code } = await nightshift(['completion', 'bash']);
    expect(code).toBe(0);
    const top = buildProgram().commands.map((c) => c.name());
    expect(complete(stdout, ['']).filter((w) => !w.startsWith('-'))).toEqual(top);
    expect(complete(stdout, ['cr'])).toEqual(['cron']);
    expect(complete(stdout, ['cron', 'h'])).toEqual(['history']);
    // An option's value names no command: the path stays `scale`.
    expect(complete(stdout, ['--app', 'shop', 'scale', '--m'])).toEqual(['--min', '--max']);
    expect(complete(stdout, ['daemon', '--sys'])).toEqual(['--systemd-unit']);
  });

  it('writes a zsh script with every command and its description', async () => {
    const { stdout, code } = await nightshift(['completion', 'zsh']);
    expect(code).toBe(0);
    expect(stdout.startsWith('#compdef nightshift\n')).toBe(true);
    for (const c of buildProgram().commands) expect(stdout).toContain(`'${c.name()}:`);
    expect(stdout).toContain("'cron history')");
    if (has('zsh')) execFileSync('zsh', ['-n', '-c', stdout]);
  });

  /**
   * What an interactive zsh's command line holds after each typed line and a Tab, with the script saved as
   * `_nightshift` in $fpath and loaded by compinit, as docs/operating.md installs it. The lines are typed into a
   * pseudo-terminal (zsh's own zpty); a key bound to a widget appends the line to a file and clears it.
   */
  function zshComplete(script: string, typed: string[]): string[] {
    writeFileSync(join(dir, '_nightshift'), script);
    const driver = String.raw`
      zmodload zsh/zpty
      zpty z 'zsh -f -i'
      zpty -w z "fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -D; dump() { print -r -- "\$BUFFER" >> $dir/lines; BUFFER=''; }; zle -N dump; bindkey '^T' dump"
      n=0
      for line in "$@"; do
        zpty -w -n z "$line"$'	'
        (( n++ ))
        for i in {1..600}; do [[ -f $dir/lines && $(wc -l < $dir/lines) -ge $n ]] && break; sleep 0.05; done
      done
      zpty -d z`;
    writeFileSync(join(dir, 'driver.zsh'), driver.replaceAll('$dir', dir));
    execFileSync('zsh', ['-f', join(dir, 'driver.zsh'), ...typed], { env: { ...process.env, HOME: dir } });
    return readFileSync(join(dir, 'lines'), 'utf8').split('\n').slice(0, -1);
  }

  it.skipIf(!has('zsh'))('completes commands, subcommands and options in a real zsh', async () => {
    const { stdout } = await nightshift(['completion', 'zsh']);
    expect(
      zshComplete(stdout, [
        'nightshift cr',
        'nightshift cron hi',
        'nightshift --app shop daemon --sys',
        'nightshift --app shop scale --ma',
        'nightshift secrets rot',
      ]),
    ).toEqual([
      'nightshift cron ',
      'nightshift cron history ',
      'nightshift --app shop daemon --systemd-unit ',
      'nightshift --app shop scale --max ',
      'nightshift secrets rotate-key ',
    ]);
  });

  it('refuses another shell with a usage error', async () => {
    expect((await nightshift(['completion', 'fish'])).code).toBe(2);
  });
});

describe('nightshift daemon --systemd-unit', () => {
  it('prints a unit for the given home, user and daemon options, and starts no daemon', async () => {
    const home = join(dir, 'home');
    const run = await nightshift(['daemon', '--systemd-unit', '--port', '7301', '--user', 'nobody'], {
      NIGHTSHIFT_HOME: home,
    });
    expect(run.code, run.stderr).toBe(0);
    const unit = run.stdout;
    expect(unit).toContain('Restart=always\n');
    expect(unit).toContain('KillMode=mixed\n');
    expect(unit).toContain('User=nobody\n');
    expect(unit).toContain(`Environment=NIGHTSHIFT_HOME=${home}\n`);
    expect(unit).toContain(`ExecStart=${process.execPath} ${realpathSync(bin)} daemon --port 7301\n`);
    expect(existsSync(home)).toBe(false);
    if (has('systemd-analyze')) {
      writeFileSync(join(dir, 'nightshift.service'), unit.replace('User=nobody', 'User=root'));
      execFileSync('systemd-analyze', ['verify', join(dir, 'nightshift.service')], { stdio: 'pipe' });
    }
  });
});
