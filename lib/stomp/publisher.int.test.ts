// lib/stomp/publisher.ts (the Nagios-side commands' sender) against the real ActiveMQ (STOMP_URL from
// the integration globalSetup), and against fault-injecting servers.
import { describe, expect, it } from 'vitest';
import { faultyBroker, receiver, stompUrl, take, uniqueQueue } from '../cli/int-test-helpers';
import { type BrokerEndpoint, parseBrokerUrl } from './broker-url';
import { BrokerUnavailableError, StompSessionError } from './session';
import { connectFirstPublisher } from './publisher';

const DEAD: BrokerEndpoint = { host: '127.0.0.1', port: 1 };
const JSON_HEADERS = { 'content-type': 'application/json', persistent: 'true' };

async function received(queue: string, count: number): Promise<Array<{ body: string; headers: Record<string, string> }>> {
  const rx = await receiver();
  try {
    return (await take(rx, queue, count)).map((m) => ({ body: m.body, headers: m.headers }));
  } finally {
    await rx.close();
  }
}

describe('Publisher', () => {
  it('sends with receipts, pipelined, in order, as JMS text messages with their headers', async () => {
    const q = uniqueQueue('publisher');
    const publisher = await connectFirstPublisher(parseBrokerUrl(stompUrl()));
    await publisher.send(q, '{"n":1}', { headers: { ...JSON_HEADERS, 'x-note': 'a:b\nc' } });
    await Promise.all([publisher.send(q, '{"n":2}', { headers: JSON_HEADERS }), publisher.send(q, '{"n":3,"s":"héllo ✓"}', { headers: JSON_HEADERS })]);
    expect(publisher.inFlight).toBe(0);
    await publisher.close();
    expect(publisher.usable).toBe(false);
    const got = await received(q, 3);
    expect(got.map((m) => m.body)).toEqual(['{"n":1}', '{"n":2}', '{"n":3,"s":"héllo ✓"}']);
    expect(got[0]!.headers['x-note']).toBe('a:b\nc');
    expect(got[0]!.headers['content-type']).toBe('application/json');
    expect(got[0]!.headers['content-length']).toBeUndefined(); // a TextMessage, as the ingester expects
  });

  it('sends transactions in order, confirmed by the COMMIT receipt', async () => {
    const q = uniqueQueue('publisher-tx');
    const bodies = Array.from({ length: 2_500 }, (_, i) => JSON.stringify({ i, text: 'héllo wörld ✓' }));
    const publisher = await connectFirstPublisher(parseBrokerUrl(stompUrl()));
    await Promise.all([publisher.sendTransaction(q, bodies.slice(0, 1_000), { headers: JSON_HEADERS }), publisher.sendTransaction(q, bodies.slice(1_000), { headers: JSON_HEADERS })]);
    await publisher.close();
    expect((await received(q, 2_500)).map((m) => m.body)).toEqual(bodies);
  });

  it('gives a body holding NUL a content-length, so it arrives whole', async () => {
    const q = uniqueQueue('publisher-nul');
    const publisher = await connectFirstPublisher(parseBrokerUrl(stompUrl()));
    await publisher.send(q, 'a\0b');
    await publisher.close();
    expect((await received(q, 1)).map((m) => m.body)).toEqual(['a\0b']);
  });

  it('uses the first endpoint of a failover list that answers', async () => {
    const [real] = parseBrokerUrl(stompUrl());
    const publisher = await connectFirstPublisher([DEAD, real!]);
    expect(publisher.endpoint).toEqual(real);
    await publisher.close();
  });

  it('throws BrokerUnavailableError with a reason per endpoint, within the timeout', async () => {
    const hung = await faultyBroker('silent');
    try {
      const [hungEndpoint] = parseBrokerUrl(hung.url);
      const started = performance.now();
      const error = await connectFirstPublisher([DEAD, hungEndpoint!], { connectTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerUnavailableError);
      expect((error as Error).message).toBe(`no broker answered: 127.0.0.1:1 (ECONNREFUSED); ${hung.url} (no answer within 300 ms)`);
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      await hung.close();
    }
  });

  it('rejects a send the broker answers with ERROR, and every send after it', async () => {
    const publisher = await connectFirstPublisher(parseBrokerUrl(stompUrl()));
    try {
      const bad = publisher.send(uniqueQueue('error'), '{}', { headers: { transaction: 'no-such-transaction' } });
      const after = publisher.send(uniqueQueue('after-error'), '{}');
      await expect(bad).rejects.toBeInstanceOf(StompSessionError);
      await expect(bad).rejects.toThrow(/broker ERROR: Invalid transaction id: no-such-transaction/);
      await expect(after).rejects.toThrow(/broker ERROR/);
      expect(publisher.usable).toBe(false);
      await expect(publisher.send(uniqueQueue('later'), '{}')).rejects.toThrow(/broker ERROR/);
    } finally {
      await publisher.close();
    }
  });

  it('fails the session when no receipt comes within the receipt timeout (a stalled broker)', async () => {
    const stalled = await faultyBroker('no-receipt');
    try {
      const publisher = await connectFirstPublisher(parseBrokerUrl(stalled.url), { receiptTimeoutMs: 300 });
      const started = performance.now();
      await expect(publisher.send('/queue/x', '{}')).rejects.toThrow(/no receipt from the broker within 300 ms/);
      expect(performance.now() - started).toBeLessThan(1_500);
      await publisher.close();
    } finally {
      await stalled.close();
    }
  });

  it('rejects what waits for a receipt when the broker goes away, and when the session is closed', async () => {
    const stalled = await faultyBroker('no-receipt');
    const publisher = await connectFirstPublisher(parseBrokerUrl(stalled.url));
    const pending = expect(publisher.send('/queue/x', '{}')).rejects.toThrow(/connection closed by the broker/);
    await stalled.close();
    await pending;

    const again = await faultyBroker('no-receipt');
    try {
      const second = await connectFirstPublisher(parseBrokerUrl(again.url));
      const waiting = expect(second.send('/queue/x', '{}')).rejects.toThrow(/session closed before the receipt arrived/);
      await second.close(200);
      await waiting;
      await expect(second.send('/queue/x', '{}')).rejects.toThrow(/closing/);
    } finally {
      await again.close();
    }
  });
});
