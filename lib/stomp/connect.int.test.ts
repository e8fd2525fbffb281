// lib/stomp against the real ActiveMQ (STOMP_URL from the integration globalSetup).
import { describe, expect, it } from 'vitest';
import { faultyBroker, receiver, stompUrl, take, uniqueQueue } from '../cli/int-test-helpers';
import { type BrokerEndpoint, parseBrokerUrl } from './broker-url';
import { BrokerUnavailableError, StompSessionError, connectFirst, createStompClient, probeBroker, withStompConnection } from './connect';

const DEAD: BrokerEndpoint = { host: '127.0.0.1', port: 1 };
const JSON_HEADERS = { 'content-type': 'application/json', persistent: 'true' };

describe('withStompConnection', () => {
  it('connects, sends with receipts, returns the result and disconnects', async () => {
    const q = uniqueQueue('stomp');
    let client: import('@stomp/stompjs').Client | undefined;
    const result = await withStompConnection(parseBrokerUrl(stompUrl()), 2_000, async (session) => {
      client = session.client;
      await session.send(q, '{"n":1}', { headers: JSON_HEADERS });
      await Promise.all([session.send(q, '{"n":2}', { headers: JSON_HEADERS }), session.send(q, '{"n":3}', { headers: JSON_HEADERS })]);
      expect(session.inFlight).toBe(0);
      return 'done';
    });
    expect(result).toBe('done');
    expect(client!.connected).toBe(false);
    const rx = await receiver();
    try {
      expect((await take(rx, q, 3)).map((m) => m.body)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    } finally {
      await rx.close();
    }
  });

  it('sends transactions in order, confirmed by the COMMIT receipt', async () => {
    const q = uniqueQueue('tx');
    const bodies = Array.from({ length: 2_500 }, (_, i) => JSON.stringify({ i, text: 'héllo wörld ✓' }));
    await withStompConnection(parseBrokerUrl(stompUrl()), 2_000, async (session) => {
      await Promise.all([session.sendTransaction(q, bodies.slice(0, 1_000)), session.sendTransaction(q, bodies.slice(1_000))]);
    });
    const rx = await receiver();
    try {
      expect((await take(rx, q, 2_500)).map((m) => m.body)).toEqual(bodies);
    } finally {
      await rx.close();
    }
  });

  it('uses the first endpoint of a failover list that answers', async () => {
    const [real] = parseBrokerUrl(stompUrl());
    const endpoint = await withStompConnection([DEAD, real!], 2_000, async (session) => session.endpoint);
    expect(endpoint).toEqual(real);
  });

  it('throws BrokerUnavailableError with a reason per endpoint, within the timeout', async () => {
    const hung = await faultyBroker('silent');
    try {
      const [hungEndpoint] = parseBrokerUrl(hung.url);
      const started = performance.now();
      const error = await withStompConnection([DEAD, hungEndpoint!], 300, async () => 'never').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerUnavailableError);
      expect((error as BrokerUnavailableError).attempts.map((a) => a.reason)).toEqual(['ECONNREFUSED', 'no answer within 300 ms']);
      expect((error as Error).message).toBe(`no broker answered: 127.0.0.1:1 (ECONNREFUSED); ${hung.url} (no answer within 300 ms)`);
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      await hung.close();
    }
  });

  it('rejects a send the broker answers with ERROR, and every send after it', async () => {
    const session = await connectFirst(parseBrokerUrl(stompUrl()));
    try {
      const bad = session.send(uniqueQueue('error'), '{}', { headers: { transaction: 'no-such-transaction' } });
      const after = session.send(uniqueQueue('after-error'), '{}');
      await expect(bad).rejects.toBeInstanceOf(StompSessionError);
      await expect(bad).rejects.toThrow(/broker ERROR: Invalid transaction id: no-such-transaction/);
      await expect(after).rejects.toThrow(/broker ERROR/);
      expect(session.usable).toBe(false);
    } finally {
      await session.close();
    }
  });
});

describe('probeBroker (the health check and the local stack)', () => {
  it('resolves when a STOMP session opens, and leaves nothing connected', async () => {
    const [endpoint] = parseBrokerUrl(stompUrl());
    await expect(probeBroker(endpoint!, 2_000)).resolves.toBeUndefined();
  });

  it('names the endpoint when nothing listens', async () => {
    await expect(probeBroker(DEAD, 2_000)).rejects.toThrow(/^127\.0\.0\.1:1: /);
  });

  it('fails within its timeout when the socket accepts but never speaks STOMP', async () => {
    const silent = await faultyBroker('silent');
    try {
      const [endpoint] = parseBrokerUrl(silent.url);
      const started = Date.now();
      await expect(probeBroker(endpoint!, 500)).rejects.toThrow(/no answer within 500 ms/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await silent.close();
    }
  });
});

describe('createStompClient', () => {
  it('rotates through the failover list on every (re)connect', async () => {
    const flaky = await faultyBroker('no-receipt'); // says CONNECTED, then we cut it off
    const [flakyEndpoint] = parseBrokerUrl(flaky.url);
    const [real] = parseBrokerUrl(stompUrl());
    const attempts: string[] = [];
    const connectedTo: string[] = [];
    const client = createStompClient([DEAD, flakyEndpoint!, real!], {
      reconnectDelayMs: 50,
      maxReconnectDelayMs: 200,
      connectTimeoutMs: 1_000,
      onAttempt: (endpoint) => attempts.push(`${endpoint.port}`),
    });
    try {
      await new Promise<void>((resolve) => {
        client.onConnect = () => {
          connectedTo.push(attempts.at(-1)!);
          if (connectedTo.length === 1) void flaky.close(); // the first broker goes away
          else resolve();
        };
        client.activate();
      });
      expect(attempts).toEqual(['1', String(flakyEndpoint!.port), String(real!.port)]);
      expect(connectedTo).toEqual([String(flakyEndpoint!.port), String(real!.port)]);
      expect(client.connected).toBe(true);
    } finally {
      await client.deactivate();
      await flaky.close();
    }
  });
});
