// Testing the e-mail worker without Redis or SMTP: @nightshift/worker/testing runs the handler through the same
// scopes, with the sender replaced by a fake.
import { describe, expect, it } from 'vitest';
import { runTestJob } from '@nightshift/worker/testing';
import emails, { createSender, type EmailJob } from './email-dispatch.js';

const job: EmailJob = {
  workspaceId: 'ws_1',
  template: 'welcome',
  to: 'ada@example.com',
  variables: { name: 'Ada' },
};

function fakeTransport(reply: () => Promise<{ messageId: string; rejected: string[] }>) {
  const sent: { to: string; subject: string }[] = [];
  return {
    sent,
    transport: {
      sendMail: (m: { to: string; subject: string }) => (sent.push(m), reply()),
      close: () => undefined,
    },
  };
}

describe('emails worker', () => {
  it('sends the rendered template and logs a delivery summary bound to the job', async () => {
    const fake = fakeTransport(() => Promise.resolve({ messageId: '<1@test>', rejected: [] }));
    const result = await runTestJob(emails, {
      data: job,
      overrides: { sender: () => createSender(fake.transport, 'app@example.com') },
    });
    expect(result.outcome).toBe('completed');
    expect(fake.sent).toEqual([
      expect.objectContaining({ to: 'ada@example.com', subject: 'Welcome aboard' }),
    ]);
    expect(result.logs.find((line) => line.msg === 'delivery summary')).toMatchObject({
      workspaceId: 'ws_1',
      events: ['attempt 1', 'accepted as <1@test>'],
    });
  });

  it('waits a minute when the server is busy, and gives up on a permanent failure', async () => {
    const busy = fakeTransport(() => Promise.reject(Object.assign(new Error('busy'), { responseCode: 421 })));
    const retried = await runTestJob(emails, {
      data: job,
      overrides: { sender: () => createSender(busy.transport, 'a@b.c') },
    });
    expect(retried).toMatchObject({ outcome: 'retried', retryDelayMs: 60_000 });

    const bounced = fakeTransport(() =>
      Promise.reject(Object.assign(new Error('no such user'), { responseCode: 550 })),
    );
    const failed = await runTestJob(emails, {
      data: job,
      overrides: { sender: () => createSender(bounced.transport, 'a@b.c') },
    });
    expect(failed.outcome).toBe('failed');
  });
});
