/** What the unit is made of: everything absolute, since systemd resolves nothing from a shell. */
export interface UnitInput {
  /** The node binary that runs the CLI now (Node 22.12+ by the bin's own check). */
  readonly node: string;
  /** The CLI's bin, resolved through symlinks (an npm global install links it). */
  readonly bin: string;
  readonly home: string;
  readonly user: string;
  /** PATH for the daemon: it finds redis-server there and passes it to every process. */
  readonly path: string;
  /** `daemon` options given with --systemd-unit, passed on to ExecStart (--port 7300 …). */
  readonly daemonArgs: readonly string[];
}

/** systemd quoting for one word of ExecStart or one Environment= assignment. */
function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)
    ? word
    : `"${word.replace(/(["\\])/g, '\\$1').replace(/%/g, '%%')}"`;
}

/**
 * `nightshift daemon --systemd-unit`: a system service running the daemon in the foreground as `user`.
 * KillMode=mixed sends SIGTERM to the daemon alone, which stops every replica's process group itself (SIGTERM,
 * then SIGKILL after its stop_grace) and records what was running; only what is left when TimeoutStopSec runs out
 * is SIGKILLed by systemd. The default (control-group) would SIGTERM every replica at once behind the daemon's
 * back; `process` would leave them running if the daemon died. docs/operating.md says more.
 */
export function systemdUnit(u: UnitInput): string {
  const exec = [u.node, u.bin, 'daemon', ...u.daemonArgs].map(quote).join(' ');
  return `# Nightshift daemon, written by \`nightshift daemon --systemd-unit\` (docs/operating.md).
# Install: save as /etc/systemd/system/nightshift.service, then
#   systemctl daemon-reload && systemctl enable --now nightshift
[Unit]
Description=Nightshift daemon (workers, cron and web of the apps deployed to it)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${u.user}
Environment=${quote(`NIGHTSHIFT_HOME=${u.home}`)}
Environment=${quote(`PATH=${u.path}`)}
ExecStart=${exec}
# Back within seconds after any exit: the daemon reaps the replicas of its previous life and restarts the rest.
Restart=always
RestartSec=2
# SIGTERM to the daemon only; it stops the replicas gracefully. What remains after the timeout is killed.
KillMode=mixed
# Above the largest stop_grace of your manifests (default 30s), so graceful stops are not cut short.
TimeoutStopSec=90
# The daemon makes a cgroup per replica (limits, OOM detection) under its own.
Delegate=yes
# A home of one user, mode 0700: the API socket and state are that user's alone.
UMask=0077
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
}
