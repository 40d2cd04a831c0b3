#!/usr/bin/env node
// Plain JavaScript on purpose: it must run on any Node to explain that the Node is too old.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `nightshift needs Node.js 22.12 or newer (24 LTS recommended); this is Node ${process.versions.node}.\n` +
      'Upgrade with your version manager (e.g. `nvm install 24`, `fnm use 24`), or from a checkout run it\n' +
      'through npm (`npm run nightshift -- …`), which uses the Node 24 the project pins.\n',
  );
  process.exit(1);
}
// The daemon runs for months beside many replicas: a 1 MB young generation keeps its RSS low and flat through
// crash loops (V8 otherwise grows it to 16 MB and more); with neither TurboFan nor Sparkplug (Maglev still
// optimises what is hot) it maps ~4 MB less of V8's code and its code space stops growing with every deploy
// (`npm run bench daemon-up`), while the log pipeline keeps its throughput (`npm run bench logs-capture`, run
// under these flags: 1.31x with them, 1.29x without); two malloc arenas stop glibc from keeping one per
// thread. V8 reads these flags only at start, so `nightshift daemon` re-executes itself once with them: same
// pid, so systemd and `up` see no difference. Replicas never inherit this (their environment is built, not copied).
const DAEMON_FLAGS = ['--max-semi-space-size=1', '--no-opt', '--no-sparkplug', '--expose-gc'];
const [command, sub] = process.argv.slice(2);
if (
  command === 'daemon' &&
  sub !== 'stop' &&
  typeof process.execve === 'function' &&
  !DAEMON_FLAGS.every((f) => process.execArgv.includes(f))
) {
  process.execve(
    process.execPath,
    [process.execPath, ...process.execArgv, ...DAEMON_FLAGS, ...process.argv.slice(1)],
    {
      ...process.env,
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    },
  );
}
const daemonArgs = process.argv.slice(3);
if (command === 'daemon' && sub !== 'stop' && !daemonArgs.some((a) => a === '--help' || a === '-h')) {
  const { daemonEntry } = await import('../dist/daemon-entry.js');
  process.exitCode = await daemonEntry(daemonArgs);
} else {
  // The bundle (`npm run build`) loads a few files instead of ~40 modules; dist/main.js when only tsc ran.
  // getBuiltinModule, not `import`: an ES import of node:fs would also load fs/promises, readline and streams.
  const { existsSync } = process.getBuiltinModule('node:fs');
  const bundled = new URL('../dist/bundle/cli.cjs', import.meta.url);
  const { main } = await import(existsSync(bundled) ? bundled.href : '../dist/main.js');
  process.exitCode = await main(process.argv);
}
