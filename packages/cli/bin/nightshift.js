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
const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv);
