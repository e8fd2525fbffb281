import { createServer } from 'node:http';
import { loadPortalUser } from '@/lib/db/queries/users';
import { createDb } from '@/lib/db/connection';
import { ownedVm } from '@/lib/db/queries/vms';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { vmMaintenance } from '@/lib/db/queries/maintenance';
import { vmPlanOutlook } from '@/lib/plans/vm-plans';
import { dashboardData } from '@/lib/vms/dashboard-data';
import { vmPageForVm } from '@/lib/vms/page-data';
import { HISTORY_PAGE_SIZE } from '@/lib/vms/params';

// The benchmark's baseline (npm run bench:portal): a bare node:http handler that runs exactly the VM
// page's queries (the user lookup, the ownership check, lib/vms/page-data.ts, and the page's release
// table, maintenance windows and plan outlook) and answers the data as JSON; the same for the dashboard
// (lib/vms/dashboard-data.ts). No framework, no session decoding, no rendering: what a page costs beyond
// its queries shows as the difference. GET /vm/:id?user=:userId[&cache=0], GET /dashboard?user=:userId

const url = process.env.DATABASE_URL!;
const port = Number(process.env.PORT || 3191);
const { db } = createDb(url);

const server = createServer((req, res) => {
  void (async () => {
    try {
      const u = new URL(req.url ?? '/', 'http://x');
      const user = await loadPortalUser(db, { id: Number(u.searchParams.get('user')) });
      if (u.pathname === '/dashboard' && user?.accountId) {
        const data = await dashboardData(db, user.accountId, new Date());
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(data, (_k, v: unknown) => (v instanceof Map ? [...v] : v)));
        return;
      }
      const m = /^\/vm\/(\d+)$/.exec(u.pathname);
      const vm = m && user?.accountId ? await ownedVm(db, user.accountId, Number(m[1])) : null;
      if (!vm) {
        res.writeHead(404).end();
        return;
      }
      const now = new Date();
      const [data, releases, maintenance, plans] = await Promise.all([
        vmPageForVm(db, vm, {
          now,
          history: { cursor: null, limit: HISTORY_PAGE_SIZE, states: [] },
          hardOnly: true,
          custom: null,
          chartRange: '7d',
          // ?cache=0: every figure from the database, to show what the state-history cache saves.
          cache: u.searchParams.get('cache') === '0' ? null : undefined,
        }),
        loadReleaseTable(db),
        vmMaintenance(db, vm, now),
        vmPlanOutlook(db, vm, now),
      ]);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ data, releases, maintenance, plans }));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  })();
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log(`[bare] listening on ${port}`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
