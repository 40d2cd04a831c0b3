/** The conformance suite against the machine's RabbitMQ (unique queue names per test, deleted afterwards). */
import amqp from 'amqplib';
import { rabbitmq, retryQueueName } from '../src/sources/rabbitmq.js';
import { describeConformance, SUITE_BACKOFF_MS, SUITE_RETRY_AFTER_MS, type JobData } from './conformance/suite.js';
import { AMQP_URL, deleteQueues } from './helpers/amqp.js';
import { uniqueSuffix } from './helpers/wait.js';

describeConformance({
  name: 'rabbitmq',
  async namespace() {
    const queue = `nstest.conf-${uniqueSuffix()}`;
    const connection = await amqp.connect(AMQP_URL);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    let sent = 0;
    return {
      env: { AMQP_URL },
      source: () => rabbitmq({ queue }),
      async enqueue(items) {
        for (const data of items) {
          sent += 1;
          channel.sendToQueue(queue, Buffer.from(JSON.stringify(data)), { contentType: 'application/json', messageId: `m${sent}`, persistent: true });
        }
        await channel.waitForConfirms();
      },
      async deadLetters() {
        // Read without consuming for good: get everything, then nack it all back.
        const found: JobData[] = [];
        const reader = await connection.createChannel();
        try {
          await reader.checkQueue(`${queue}.dead`);
        } catch {
          return [];
        }
        for (;;) {
          const message = await reader.get(`${queue}.dead`, { noAck: false });
          if (message === false) break;
          found.push(JSON.parse(message.content.toString()) as JobData);
        }
        await reader.close(); // unacked messages go back to the queue
        return found;
      },
      async cleanup() {
        await connection.close();
        await deleteQueues([queue, `${queue}.dead`, retryQueueName(queue, SUITE_BACKOFF_MS), retryQueueName(queue, SUITE_RETRY_AFTER_MS)]);
      },
    };
  },
});
