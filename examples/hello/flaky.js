// Works for a few seconds, then fails: Nightshift records the crash and restarts it with backoff.
const lifetime = 3000 + Math.floor(Math.random() * 5000);
console.log(JSON.stringify({ level: 'info', msg: 'flaky worker started', lifetimeMs: lifetime }));
setTimeout(() => {
  console.error(`${process.env.NIGHTSHIFT_REPLICA}: something went wrong, exiting with 1`);
  process.exit(1);
}, lifetime);
