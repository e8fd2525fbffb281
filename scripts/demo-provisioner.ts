// A STAND-IN for the host's provisioning system, for the demo only: it takes plan-change orders from
// PROVISIONING_QUEUE, answers "accepted", pretends to resize the VM for a few seconds, answers
// "completed", and reports the grown disk through the pipeline as Nagios would (a check result on the
// events destination), so a newcomer sees the whole loop. A real host replaces it with its own system
// speaking the same contract (README, "Upgrades and the provisioning contract").
import type { IMessage } from '@stomp/stompjs';
import { perfdataLineToBody } from '../lib/cli/perfdata-file';
import { createDb } from '../lib/db/connection';
import { parseBrokerUrl } from '../lib/stomp/broker-url';
import { connectFirst, createStompClient } from '../lib/stomp/connect';
import type { ProvisioningRequest } from '../lib/plans/provisioning-message';

const STOMP_URL = process.env.STOMP_URL ?? 'stomp://127.0.0.1:61713';
const REQUESTS = process.env.PROVISIONING_QUEUE ?? '/queue/portal.provisioning';
const REPLIES = process.env.PROVISIONING_REPLY_QUEUE ?? '/queue/portal.provisioning.replies';
const EVENTS = process.env.EVENTS_DESTINATION ?? '/queue/nagios.events';
const WORK_MS = Number(process.env.DEMO_PROVISIONING_MS ?? 4000);
const log = (line: string) => console.log(`[demo-provisioner] ${line}`);

const endpoints = parseBrokerUrl(STOMP_URL);
const { pool } = createDb(process.env.DATABASE_URL ?? 'mysql://porthole:porthole@127.0.0.1:33306/porthole', { connectionLimit: 2 });
const done = new Set<string>();

async function send(destination: string, body: string) {
  const session = await connectFirst(endpoints, { connectTimeoutMs: 3000, receiptTimeoutMs: 10_000 });
  try {
    await session.send(destination, body, { headers: { 'content-type': 'application/json', persistent: 'true' } });
  } finally {
    await session.close();
  }
}

/** The disk check's next result at the new size: the same used space, the new capacity and thresholds. */
async function reportGrownDisk(order: ProvisioningRequest) {
  const [rows] = await pool.query<Array<{ service: string; label: string; value: number; unit: string } & import('mysql2').RowDataPacket>>(
    `SELECT service, label, value, unit FROM perf_samples WHERE vm_id = ? AND service LIKE 'Disk%' AND label = '/' ORDER BY sampled_at DESC LIMIT 1`,
    [order.vm.id],
  );
  const last = rows[0];
  if (!last || last.unit !== 'MB') return;
  const maxMb = order.toPlan.diskGb * 1024;
  const [warn, crit] = [Math.round(maxMb * 0.8), Math.round(maxMb * 0.9)];
  const state = last.value >= crit ? 'CRITICAL' : last.value >= warn ? 'WARNING' : 'OK';
  const line = [Math.floor(Date.now() / 1000), order.vm.nagiosHostName, order.vm.address, last.service, state, 'HARD', 0, 1, 3,
    `DISK ${state} - free space: / ${Math.round(maxMb - last.value)} MB`, `/=${Math.round(last.value)}MB;${warn};${crit};0;${maxMb}`].join('\t');
  const body = perfdataLineToBody(line, 'demo-provisioner');
  if (body.ok) await send(EVENTS, body.value);
}

async function handle(message: IMessage) {
  let order: ProvisioningRequest;
  try {
    order = JSON.parse(message.body) as ProvisioningRequest;
  } catch {
    log('an order that is not JSON: dropped');
    message.ack();
    return;
  }
  // A real system drops the second copy of an order by its idempotency key, as here.
  if (!done.has(order.idempotencyKey)) {
    done.add(order.idempotencyKey);
    log(`order ${order.orderId}: ${order.vm.hostname} ${order.fromPlan.slug} → ${order.toPlan.slug}`);
    await send(REPLIES, JSON.stringify({ orderId: order.orderId, status: 'accepted', idempotencyKey: order.idempotencyKey }));
    setTimeout(() => {
      void (async () => {
        await send(REPLIES, JSON.stringify({ orderId: order.orderId, status: 'completed', idempotencyKey: order.idempotencyKey }));
        await reportGrownDisk(order);
        log(`order ${order.orderId}: completed`);
      })().catch((error: Error) => log(`order ${order.orderId}: ${error.message}`));
    }, WORK_MS);
  }
  message.ack();
}

const client = createStompClient(endpoints, { reconnectDelayMs: 1000 });
client.onConnect = () => {
  log(`waiting for orders on ${REQUESTS}`);
  client.subscribe(REQUESTS, (m) => void handle(m).catch((error: Error) => log(error.message)), { ack: 'client-individual' });
};
client.activate();
const stop = async () => {
  await client.deactivate();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
