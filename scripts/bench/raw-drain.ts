// bench:ingest's raw drain, in a process of its own started as the ingester is (same Node flags, tsx), so
// both begin cold and the comparison is of their work, not of one process's JIT warm-up against another's.
// It connects with the ingester's STOMP client, subscribes to QUEUE as the ingester does (client-individual,
// PREFETCH), acks each message, writes nothing, prints "connected; consuming" once subscribed, "warm" after
// WARM messages (the uncounted start) and "drained" after N, then exits.
import { parseBrokerUrl } from '@/lib/stomp/broker-url';
import { createStompClient } from '@/lib/stomp/connect';

const { STOMP_URL, QUEUE, N, PREFETCH } = process.env;
if (!STOMP_URL || !QUEUE || !N || !PREFETCH) throw new Error('raw-drain needs STOMP_URL, QUEUE, N and PREFETCH');
const n = Number(N);
const warm = Number(process.env.WARM ?? 0);
const client = createStompClient(parseBrokerUrl(STOMP_URL), { reconnectDelayMs: 0 });
let seen = 0;
client.onConnect = () => {
  client.subscribe(
    QUEUE,
    (message) => {
      message.ack();
      if (++seen === warm) console.log('warm');
      if (seen === n) {
        console.log('drained');
        void client.deactivate().then(() => process.exit(0));
      }
    },
    { ack: 'client-individual', 'activemq.prefetchSize': PREFETCH },
  );
  console.log(`connected; consuming ${QUEUE}`);
};
client.activate();
