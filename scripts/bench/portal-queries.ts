import { createDb } from '@/lib/db/connection';
import { loadPortalUser } from '@/lib/db/queries/users';
import { ownedVm, currentStatesForVm, listAccountVms } from '@/lib/db/queries/vms';
import { historyForVm, latestEventId } from '@/lib/db/queries/vm-events';
import { seriesForVm, seriesListForVm } from '@/lib/db/queries/vm-metrics';
import { loadSlaDefinition } from '@/lib/db/queries/sla-settings';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { vmMaintenance } from '@/lib/db/queries/maintenance';
import { vmPlanOutlook } from '@/lib/plans/vm-plans';
import { availabilityForVm } from '@/lib/vms/availability';
import { StateHistoryCache } from '@/lib/vms/history-cache';
import { availabilityWindows, vmPageForVm } from '@/lib/vms/page-data';
import { HISTORY_PAGE_SIZE } from '@/lib/vms/params';
import { percentile } from './portal-load';

// npx tsx scripts/bench/portal-queries.ts: each of the VM page's and the dashboard's reads on its own,
// against porthole_bench (seeded by npm run bench:portal): median of BENCH_RUNS runs, in ms.

const url = process.env.DATABASE_URL ?? 'mysql://porthole:porthole@127.0.0.1:33306/porthole_bench';
const runs = Number(process.env.BENCH_RUNS ?? 15);

async function main() {
  const { db, pool } = createDb(url);
  const [[alice]] = (await pool.query("SELECT id, account_id FROM users WHERE username = 'alice'")) as unknown as [[{ id: number; account_id: number }]];
  const [[bob]] = (await pool.query("SELECT id, account_id FROM users WHERE username = 'bob'")) as unknown as [[{ id: number; account_id: number }]];
  const vm = (await ownedVm(db, alice.account_id, 1))!;
  const now = new Date();
  const windows = availabilityWindows(now, null);
  const cache = new StateHistoryCache();
  const series = await seriesListForVm(db, vm);
  const chartFrom = new Date(now.getTime() - 7 * 86_400_000);
  const timed: Array<[string, () => Promise<unknown>]> = [
    ['loadPortalUser', () => loadPortalUser(db, { id: alice.id })],
    ['ownedVm', () => ownedVm(db, alice.account_id, 1)],
    ['currentStatesForVm (201 rows)', () => currentStatesForVm(db, vm)],
    ['historyForVm (first page, 50)', () => historyForVm(db, vm, { cursor: null, limit: HISTORY_PAGE_SIZE, states: [] })],
    ['latestEventId', () => latestEventId(db)],
    ['loadSlaDefinition', () => loadSlaDefinition(db)],
    ['seriesListForVm', () => seriesListForVm(db, vm)],
    ['seriesForVm x1 (7 d, 240 points)', () => seriesForVm(db, vm, { service: series[0]!.service, label: series[0]!.label, from: chartFrom, to: now, points: 240 })],
    ['availabilityForVm, no cache (30 d)', () => availabilityForVm(db, vm, { windows, now, cache: null })],
    ['availabilityForVm, warm cache', () => availabilityForVm(db, vm, { windows, now, cache })],
    ['vmPlanOutlook', () => vmPlanOutlook(db, vm, now)],
    ['vmMaintenance', () => vmMaintenance(db, vm, now)],
    ['loadReleaseTable', () => loadReleaseTable(db)],
    ['vmPageForVm (all of page-data)', () => vmPageForVm(db, vm, { now, history: { cursor: null, limit: HISTORY_PAGE_SIZE, states: [] }, hardOnly: true, custom: null, chartRange: '7d', cache })],
    ['listAccountVms (bob, 200 VMs)', () => listAccountVms(db, bob.account_id)],
  ];
  for (const [name, run] of timed) {
    await run();
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await run();
      ms.push(performance.now() - t);
    }
    console.log(`${name.padEnd(40)} p50 ${percentile(ms, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(ms, 95).toFixed(1).padStart(7)} ms`);
  }
  await pool.end();
}
void main();
