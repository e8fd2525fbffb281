import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForMail } from '../../testing/maildir';
import { createEmailChannel } from './email';
import type { OutgoingMessage } from './types';

// Against the stack's real SMTP server (scripts/stack/smtp.ts), which keeps what it accepts as Maildir files.
const run = randomUUID().slice(0, 8);
const url = `smtp://127.0.0.1:${process.env.SMTP_PORT || 24025}`;
const channel = createEmailChannel({ url, from: 'Porthole <alerts@porthole.test>' });
afterAll(() => channel.close());

const message = (key: string, over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  idempotencyKey: key,
  subject: `Disk / on web-01 has a critical problem ${run}`,
  text: 'Disk / on web-01 has a critical problem (since 10:02 UTC).\nDetails: https://portal.test/vms/1',
  short: 'Disk / on web-01 has a critical problem',
  data: {},
  urgent: true,
  ...over,
});

describe('the email channel', () => {
  it('delivers to the real server, which answers 250; headers carry the delivery key, and no header can be injected', async () => {
    const key = `porthole-1-2-3-0-${run}`;
    const sent = await channel.send({ kind: 'email', address: `ops-${run}@example.com` }, message(key, { subject: `Subject ${run}\r\nBcc: victim@example.com` }));
    expect(sent.ok && sent.value.response).toMatch(/^250 2\.0\.0 Ok: queued as/);
    const [mail] = await waitForMail((m) => m.headers['x-porthole-delivery'] === key);
    expect(mail!.headers.to).toBe(`ops-${run}@example.com`);
    expect(mail!.headers.subject).toBe(`Subject ${run} Bcc: victim@example.com`);
    expect(mail!.headers.bcc).toBeUndefined();
    expect(mail!.body).toContain('Details: https://portal.test/vms/1');
  });

  it('a refused recipient is a permanent failure with the server text; a closed port is worth retrying', async () => {
    const refused = await channel.send({ kind: 'email', address: `reject-${run}@example.com` }, message(`r-${run}`));
    expect(refused).toEqual({ ok: false, error: { error: expect.stringMatching(/550 5\.1\.1/), retryable: false } });
    const closed = createEmailChannel({ url: 'smtp://127.0.0.1:1', from: 'a@b.test', timeoutMs: 2000 });
    const down = await closed.send({ kind: 'email', address: `ops-${run}@example.com` }, message(`d-${run}`));
    await closed.close();
    expect(down.ok).toBe(false);
    expect(!down.ok && down.error.retryable).toBe(true);
  });

  it('200 messages sent at once over the pool all arrive', async () => {
    const tag = `pool-${run}`;
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => channel.send({ kind: 'email', address: `ops-${run}@example.com` }, message(`${tag}-${i}`))));
    expect(results.filter((r) => r.ok)).toHaveLength(200);
    const mails = await waitForMail((m) => (m.headers['x-porthole-delivery'] ?? '').startsWith(`${tag}-`), { count: 200 });
    expect(new Set(mails.map((m) => m.headers['x-porthole-delivery'])).size).toBe(200);
  });
});
