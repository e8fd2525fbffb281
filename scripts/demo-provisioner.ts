// A STAND-IN for the host's provisioning system, for the demo only: it takes plan-change and rebuild
// orders from PROVISIONING_QUEUE, answers "accepted", pretends to resize (or reinstall) the VM for a few
// seconds, answers "completed", and reports the disk through the pipeline as Nagios would (a check
// result on the events destination: grown after a resize, nearly empty after a rebuild), so a newcomer
// sees the whole loop. A real host replaces it with its own system
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

/** A fresh image's root file system: what a minimal Ubuntu server install uses. */
const FRESH_IMAGE_MB = 2600;

/**
 * The disk check's next result after the order: at the new size with the same used space after a plan
 * change, or with only a fresh image's few gigabytes after a rebuild.
 */
async function reportDisk(order: ProvisioningRequest) {
  const [rows] = await pool.query<Array<{ service: string; label: string; value: number; unit: string } & import('mysql2').RowDataPacket>>(
    `SELECT service, label, value, unit FROM perf_samples WHERE vm_id = ? AND service LIKE 'Disk%' AND label = '/' ORDER BY sampled_at DESC LIMIT 1`,
    [order.vm.id],
  );
  const last = rows[0];
  if (!last || last.unit !== 'MB') return;
  const maxMb = order.toPlan.diskGb * 1024;
  const usedMb = order.kind === 'rebuild' ? Math.min(FRESH_IMAGE_MB, maxMb) : last.value;
  const [warn, crit] = [Math.round(maxMb * 0.8), Math.round(maxMb * 0.9)];
  const state = usedMb >= crit ? 'CRITICAL' : usedMb >= warn ? 'WARNING' : 'OK';
  const line = [Math.floor(Date.now() / 1000), order.vm.nagiosHostName, order.vm.address, last.service, state, 'HARD', 0, 1, 3,
    `DISK ${state} - free space: / ${Math.round(maxMb - usedMb)} MB`, `/=${Math.round(usedMb)}MB;${warn};${crit};0;${maxMb}`].join('\t');
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
    log(
      order.kind === 'rebuild'
        ? `order ${order.orderId}: rebuild ${order.vm.hostname} on a fresh Ubuntu ${order.ubuntuRelease} image (was ${order.fromRelease})`
        : `order ${order.orderId}: ${order.vm.hostname} ${order.fromPlan.slug} → ${order.toPlan.slug}`,
    );
    await send(REPLIES, JSON.stringify({ orderId: order.orderId, status: 'accepted', idempotencyKey: order.idempotencyKey }));
    setTimeout(() => {
      void (async () => {
        await send(REPLIES, JSON.stringify({ orderId: order.orderId, status: 'completed', idempotencyKey: order.idempotencyKey }));
        await reportDisk(order);
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
