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
const [command, sub] = process.argv.slice(2);
const daemonArgs = process.argv.slice(3);
// `daemon --systemd-unit` only prints a file: the full CLI handles it (and --help).
const cliOnly = ['--help', '-h', '--systemd-unit'];
if (command === 'daemon' && sub !== 'stop' && !daemonArgs.some((a) => cliOnly.includes(a))) {
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
