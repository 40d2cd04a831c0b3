// Prints a tick every second and stops cleanly on SIGTERM.
let n = 0;
const timer = setInterval(() => {
  n += 1;
  console.log(`${process.env.GREETING} from ${process.env.NIGHTSHIFT_REPLICA}: tick ${n}`);
}, 1000);

process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log(`${process.env.NIGHTSHIFT_REPLICA}: got SIGTERM after ${n} ticks, bye`);
  process.exit(0);
});
