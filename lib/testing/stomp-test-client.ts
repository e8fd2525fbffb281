import { Client, type IMessage } from '@stomp/stompjs';
import { parseBrokerUrl } from '../stomp/broker-url';
import { tcpSocketFactory } from '../stomp/connect';

/** A plain STOMP client for tests: publish bodies (persistent, confirmed by a receipt) and drain queues. */
export async function connectTestClient(url = process.env.STOMP_URL!): Promise<Client> {
  const endpoint = parseBrokerUrl(url)[0]!;
  const client = new Client({
    webSocketFactory: tcpSocketFactory(endpoint),
    reconnectDelay: 0,
    debug: () => undefined,
  });
  await new Promise<void>((resolve, reject) => {
    client.onConnect = () => resolve();
    client.onStompError = (frame) => reject(new Error(frame.headers.message));
    client.onWebSocketError = () => reject(new Error(`cannot reach ${url}`));
    client.activate();
  });
  return client;
}

/** Test messages left on the broker by an aborted run expire instead of piling up in its memory. */
const TEST_MESSAGE_LIFETIME_MS = 10 * 60_000;

/**
 * Publishes every body in order; resolves once the broker confirmed the last one (same connection, in
 * order). `lifetimeMs: 0` sends messages that never expire, like the Nagios commands' (benchmarks:
 * expiring messages cost the broker about 10% more CPU to dispatch).
 */
export async function publishAll(
  client: Client,
  destination: string,
  bodies: string[],
  { lifetimeMs = TEST_MESSAGE_LIFETIME_MS, headers = {} }: { lifetimeMs?: number; headers?: Record<string, string> } = {},
): Promise<void> {
  const expiry: Record<string, string> = lifetimeMs > 0 ? { expires: String(Date.now() + lifetimeMs) } : {};
  bodies.forEach((body, i) => {
    const last = i === bodies.length - 1;
    client.publish({
      destination,
      body,
      headers: { 'content-type': 'application/json', persistent: 'true', ...expiry, ...headers, ...(last ? { receipt: `last-${destination}` } : {}) },
    });
  });
  if (bodies.length > 0) await new Promise<void>((resolve) => client.watchForReceipt(`last-${destination}`, () => resolve()));
}

/** Collects what arrives on a destination for a while (auto-ack). */
export async function drain(client: Client, destination: string, quietMs = 500): Promise<IMessage[]> {
  const received: IMessage[] = [];
  let timer: NodeJS.Timeout;
  return new Promise((resolve) => {
    const done = () => {
      sub.unsubscribe();
      resolve(received);
    };
    const sub = client.subscribe(destination, (m) => {
      received.push(m);
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    timer = setTimeout(done, quietMs);
  });
}
