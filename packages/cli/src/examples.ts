/**
 * Examples per command path, shown after `nightshift <command> --help` and in docs/cli.md. Each is a command a
 * user would type, then what it does; the reference test checks that every path here names a real command.
 */
export const examples: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  up: [
    ['nightshift up', 'start the daemon if needed and deploy the app in the current folder'],
    ['nightshift up examples/shop', 'the same for another folder'],
  ],
  deploy: [
    ['nightshift deploy', 'build a release from the current folder and roll the processes onto it'],
    ['nightshift deploy --ref v1.4.0', 'deploy a git tag or commit of the folder’s repository'],
  ],
  init: [
    ['nightshift init', 'write .paas/app.yaml from a PM2 ecosystem file, a Procfile or package.json scripts'],
    ['nightshift init --from procfile --force', 'from the Procfile only, replacing an existing manifest'],
  ],
  doctor: [
    ['nightshift doctor', 'check Node, the daemon, the home, Redis, cgroups, disk and clock; print fixes'],
  ],
  completion: [
    ['nightshift completion bash', 'a bash completion script (`source <(nightshift completion bash)`)'],
  ],
  daemon: [
    ['nightshift daemon', 'run the daemon in the foreground (`up` starts it in the background)'],
    ['nightshift daemon --systemd-unit', 'print a systemd unit that runs it (docs/operating.md)'],
    ['nightshift daemon stop', 'stop the daemon and every process it supervises'],
  ],
  dashboard: [
    ['nightshift dashboard', 'the dashboard’s address and a one-time login link (60 s, single use)'],
  ],
  ps: [
    ['nightshift ps', 'the app’s processes, one row per replica and cron job'],
    ['nightshift ps --all --json', 'every app, as JSON'],
  ],
  top: [['nightshift top -n 1', 'CPU and memory per replica, once']],
  metrics: [
    ['nightshift metrics orders --since 1h', 'CPU and memory samples of a process over the last hour'],
  ],
  scale: [
    ['nightshift scale orders=4 events=0', 'set replica counts'],
    ['nightshift scale orders+2', 'add two replicas'],
    [
      'nightshift scale orders --min 1 --max 6',
      'change an autoscaled process’s bounds until the next deploy',
    ],
  ],
  'autoscale status': [['nightshift autoscale status orders', 'the last decision and the current signals']],
  restart: [['nightshift restart orders', 'a rolling restart of one process (all of them without a name)']],
  stop: [['nightshift stop orders', 'stop a process and keep it stopped until `start`']],
  start: [['nightshift start orders', 'start a stopped process again']],
  logs: [
    ['nightshift logs -t', 'follow every process of the app'],
    [
      'nightshift logs orders --since 10m --stream stderr',
      'one process’s error output of the last ten minutes',
    ],
  ],
  'drains add': [['nightshift drains add syslog+tls://logs.example.com:6514', 'forward the app’s logs']],
  events: [['nightshift events -t', 'follow the app’s events (deploys, crashes, scaling, cron runs)']],
  usage: [['nightshift usage --since 30d --by day', 'replica-, vCPU- and GiB-minutes per day']],
  'cron ls': [['nightshift cron ls', 'each job with its schedule, next slot and last run']],
  'cron history': [['nightshift cron history cleanup -n 20', 'the last 20 runs of a job']],
  'cron run': [
    ['nightshift cron run cleanup --wait', 'run a job now from the live release and wait for its exit'],
  ],
  'cron logs': [['nightshift cron logs 42', 'the full log of run 42']],
  'cron suspend': [
    ['nightshift cron suspend nightly-report', 'skip a job’s slots until `cron resume`'],
    ['nightshift cron suspend --all', 'every job of the app, for an incident (`cron resume --all` after)'],
  ],
  'cron cancel': [['nightshift cron cancel nightly-report', 'stop its running run (and drop a waiting one)']],
  'config set': [['nightshift config set LOG_LEVEL=debug', 'set a config var and restart the processes']],
  'secrets set': [
    [
      'nightshift secrets set REPORT_TOKEN < token.txt',
      'set a secret from stdin (a hidden prompt on a terminal)',
    ],
  ],
  'secrets ls': [['nightshift secrets ls', 'names, digests and dates; never values']],
  'redis info': [['nightshift redis info', 'the app’s Redis user, key count and the instance’s memory']],
  queues: [['nightshift queues', 'each BullMQ queue of the app with its counts by state']],
  'queues pause': [
    ['nightshift queues pause emails', 'stop workers taking jobs from a queue (`queues resume` undoes it)'],
  ],
  'queues retry': [['nightshift queues retry emails --failed --limit 100', 'retry up to 100 failed jobs']],
  'queues clean': [
    ['nightshift queues clean emails --completed --older-than 1d', 'remove old completed jobs'],
  ],
  'queues cancel': [
    [
      'nightshift queues cancel emails --waiting --match data.tenant=acme',
      'count, confirm, remove matching waiting jobs',
    ],
  ],
  apps: [['nightshift apps', 'every app on this daemon']],
  releases: [['nightshift releases', 'the app’s releases, the live one marked']],
  rollback: [['nightshift rollback', 'go back to the previous release']],
  run: [['nightshift run -- node scripts/migrate.js', 'a one-off command in the app’s environment']],
  'render kubernetes': [
    ['nightshift render kubernetes --image registry.example.com/shop:1.4.0 -o k8s/', 'write the manifests'],
  ],
  validate: [['nightshift validate', 'check .paas/app.yaml without deploying']],
};
