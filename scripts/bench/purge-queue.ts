import { parseBrokerUrl } from '@/lib/stomp/broker-url';
import { createStompClient } from '@/lib/stomp/connect';

/**
 * Consumes and acks whatever is left on a benchmark's queue until it is quiet for `quietMs`; returns how
 * many. A run leaves some behind when it stops early, or when a publisher re-sent a message whose receipt
 * was late (the ingester stores it once, the queue still holds it). Left there, each pins its KahaDB
 * journal file, and a few runs fill the broker's store (2 GB here), which then stops every producer.
 */
export async function purgeQueue(stompUrl: string, destination: string, quietMs = 1500): Promise<number> {
  const client = createStompClient(parseBrokerUrl(stompUrl), { reconnectDelayMs: 0 });
  let seen = 0;
  let last = Date.now();
  await new Promise<void>((resolve, reject) => {
    client.onConnect = () => {
      client.subscribe(
        destination,
        () => {
          seen++;
          last = Date.now();
        },
        { ack: 'auto', 'activemq.prefetchSize': '1000' },
      );
      resolve();
    };
    client.onWebSocketError = () => reject(new Error(`cannot reach the broker to purge ${destination}`));
    client.activate();
  });
  while (Date.now() - last < quietMs) await new Promise((r) => setTimeout(r, 250));
  await client.deactivate();
  return seen;
}
