/** The conformance suite against the machine's NATS JetStream (a stream per test, deleted afterwards). */
import { connect, headers, StringCodec } from 'nats';
import { jetstream } from '../src/sources/jetstream.js';
import { describeConformance, type JobData } from './conformance/suite.js';
import { uniqueSuffix } from './helpers/wait.js';

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

describeConformance({
  name: 'jetstream',
  async namespace() {
    const suffix = uniqueSuffix();
    const stream = `NSTEST_${suffix}`;
    const subject = `nstest.${suffix}.jobs`;
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`nstest.${suffix}.>`] });
    const js = nc.jetstream();
    const sc = StringCodec();
    let sent = 0;
    return {
      env: { NATS_URL },
      source: () => jetstream({ stream, consumer: 'conformance', ackWait: 1000, pollInterval: 1000 }),
      async enqueue(items) {
        for (const data of items) {
          sent += 1;
          const h = headers();
          h.set('Nats-Msg-Id', `${suffix}-${sent}`);
          await js.publish(subject, sc.encode(JSON.stringify(data)), { headers: h });
        }
      },
      async deadLetters() {
        let info;
        try {
          info = await jsm.streams.info(`${stream}_DEAD`);
        } catch {
          return [];
        }
        const found: JobData[] = [];
        for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
          const message = await jsm.streams.getMessage(`${stream}_DEAD`, { seq });
          found.push(JSON.parse(sc.decode(message.data)) as JobData);
        }
        return found;
      },
      async cleanup() {
        await jsm.streams.delete(stream).catch(() => undefined);
        await jsm.streams.delete(`${stream}_DEAD`).catch(() => undefined);
        await nc.close();
      },
    };
  },
});
