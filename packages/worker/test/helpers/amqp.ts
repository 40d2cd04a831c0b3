/** Per-test RabbitMQ queues: unique names, deleted afterwards (only AMQP on 5672 is assumed). */
import amqp from 'amqplib';

export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Deletes queues, ignoring those that do not exist (each delete on its own channel: a 404 closes the channel). */
export async function deleteQueues(names: readonly string[]): Promise<void> {
  const connection = await amqp.connect(AMQP_URL);
  try {
    for (const name of names) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await channel.deleteQueue(name).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
}
