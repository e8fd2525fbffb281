import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import mysql from 'mysql2/promise';

// A three-node MariaDB Galera cluster on loopback (Debian's galera-4), as SERVICES.md ("MariaDB Galera,
// three nodes on loopback") verified it: node 1 is initialised and bootstraps the cluster, nodes 2 and 3
// join by a full copy (rsync SST), a killed node rejoins by IST from its recovered position. Each node
// also gets a tiny HTTP check (200 only when the node is Synced, Primary and ready): HAProxy's
// mysql-check only proves a login works, and a non-Primary node answers every query with 1047.

export interface GaleraNode {
  name: string;
  port: number;
  gmcast: number;
  ist: number;
  sst: number;
  /** The HTTP wsrep-state check HAProxy asks. */
  checkPort: number;
}

export const GALERA_NODES: GaleraNode[] = [
  { name: 'node1', port: 34306, gmcast: 4567, ist: 4568, sst: 4444, checkPort: 34316 },
  { name: 'node2', port: 34307, gmcast: 4667, ist: 4668, sst: 4544, checkPort: 34317 },
  { name: 'node3', port: 34308, gmcast: 4767, ist: 4768, sst: 4644, checkPort: 34318 },
];

const optionFile = (dir: string, n: GaleraNode) => `[mysqld]
user=mysql
datadir=${dir}/${n.name}/data
socket=${dir}/${n.name}/mysqld.sock
pid-file=${dir}/${n.name}/mysqld.pid
log-error=${dir}/${n.name}/error.log
port=${n.port}
bind-address=127.0.0.1
skip-name-resolve
innodb_buffer_pool_size=64M
innodb_log_file_size=16M
innodb_flush_log_at_trx_commit=2
binlog_format=ROW
innodb_autoinc_lock_mode=2
max_connections=300
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=porthole-ha
wsrep_cluster_address=gcomm://${GALERA_NODES.map((g) => `127.0.0.1:${g.gmcast}`).join(',')}
wsrep_node_name=${n.name}
wsrep_node_address=127.0.0.1
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:${n.gmcast};ist.recv_addr=127.0.0.1:${n.ist};gcache.size=128M;evs.keepalive_period=PT0.2S;evs.inactive_check_period=PT0.2S;evs.suspect_timeout=PT1S;evs.inactive_timeout=PT2S;evs.install_timeout=PT2S"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:${n.sst}
`;

export interface NodeState {
  state: string;
  clusterSize: number;
  primary: boolean;
  ready: boolean;
}

export class GaleraCluster {
  private readonly children = new Map<string, ChildProcess>();
  private readonly checks: Server[] = [];

  constructor(readonly dir: string) {}

  private cnf(n: GaleraNode): string {
    return path.join(this.dir, n.name, 'my.cnf');
  }

  /** A fresh cluster: node 1 initialised and bootstrapped, then nodes 2 and 3 joined. */
  async create(): Promise<void> {
    // Nodes an interrupted run left behind (their pid files) go first.
    for (const n of GALERA_NODES) {
      const pidFile = path.join(this.dir, n.name, 'mysqld.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    rmSync(this.dir, { recursive: true, force: true });
    for (const n of GALERA_NODES) {
      mkdirSync(path.join(this.dir, n.name, 'data'), { recursive: true });
      writeFileSync(this.cnf(n), optionFile(this.dir, n));
    }
    const first = GALERA_NODES[0]!;
    const init = spawnSync(
      'mariadb-install-db',
      ['--no-defaults', '--user=mysql', `--datadir=${this.dir}/${first.name}/data`, '--auth-root-authentication-method=normal', '--skip-test-db'],
      { encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr.slice(-500)}`);
    spawnSync('chown', ['-R', 'mysql:mysql', this.dir]);
    this.start(first, ['--wsrep-new-cluster']);
    await this.waitSynced(first, 1);
    for (const n of GALERA_NODES.slice(1)) {
      this.start(n);
      await this.waitSynced(n, GALERA_NODES.indexOf(n) + 1, 120_000);
    }
  }

  start(n: GaleraNode, extra: string[] = []): void {
    const log = openSync(path.join(this.dir, n.name, 'stdout.log'), 'a');
    const child = spawn('mariadbd', [`--defaults-file=${this.cnf(n)}`, ...extra], { stdio: ['ignore', log, log] });
    this.children.set(n.name, child);
    child.once('exit', () => {
      if (this.children.get(n.name) === child) this.children.delete(n.name);
    });
  }

  isRunning(n: GaleraNode): boolean {
    const c = this.children.get(n.name);
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  async kill(n: GaleraNode, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.children.get(n.name);
    if (!c || !this.isRunning(n)) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await gone;
  }

  /** Rejoins a killed node by IST: its position from `--wsrep-recover`, then a normal start. */
  async rejoin(n: GaleraNode): Promise<void> {
    spawnSync('chown', ['-R', 'mysql:mysql', path.join(this.dir, n.name)]);
    const recover = spawnSync('mariadbd', [`--defaults-file=${this.cnf(n)}`, '--wsrep-recover', `--log-error=${this.dir}/${n.name}/recover.log`], { encoding: 'utf8' });
    if (recover.status !== 0) throw new Error(`${n.name}: --wsrep-recover failed`);
    const log = readFileSync(path.join(this.dir, n.name, 'recover.log'), 'utf8');
    const position = [...log.matchAll(/Recovered position: (\S+)/g)].at(-1)?.[1];
    this.start(n, position ? [`--wsrep_start_position=${position}`] : []);
  }

  async state(n: GaleraNode): Promise<NodeState | null> {
    let c: mysql.Connection | null = null;
    try {
      c = await mysql.createConnection({ host: '127.0.0.1', port: n.port, user: 'root', connectTimeout: 1_000 });
      const [rows] = await c.query<mysql.RowDataPacket[]>("SHOW STATUS WHERE Variable_name IN ('wsrep_local_state_comment','wsrep_cluster_size','wsrep_cluster_status','wsrep_ready')");
      const v = Object.fromEntries(rows.map((r) => [r.Variable_name as string, String(r.Value)]));
      return { state: v.wsrep_local_state_comment ?? '', clusterSize: Number(v.wsrep_cluster_size ?? 0), primary: v.wsrep_cluster_status === 'Primary', ready: v.wsrep_ready === 'ON' };
    } catch {
      return null;
    } finally {
      await c?.end().catch(() => undefined);
    }
  }

  async waitSynced(n: GaleraNode, clusterSize: number, timeoutMs = 60_000): Promise<number> {
    const started = Date.now();
    for (;;) {
      const s = await this.state(n);
      if (s && s.state === 'Synced' && s.primary && s.ready && s.clusterSize >= clusterSize) return Date.now() - started;
      if (!this.isRunning(n)) throw new Error(`${n.name} exited (see ${this.dir}/${n.name}/error.log)`);
      if (Date.now() - started > timeoutMs) throw new Error(`${n.name} not Synced after ${timeoutMs} ms: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Waits until every live node sees a cluster of `size`. */
  async waitClusterSize(size: number, timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    for (;;) {
      const states = await Promise.all(GALERA_NODES.filter((n) => this.isRunning(n)).map((n) => this.state(n)));
      if (states.every((s) => s?.clusterSize === size)) return;
      if (Date.now() - started > timeoutMs) throw new Error(`cluster size not ${size} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The HTTP checks for HAProxy (`option httpchk`, `check port N`). */
  async serveChecks(): Promise<void> {
    for (const n of GALERA_NODES) {
      const server = createServer((req, res) => {
        void this.state(n).then((s) => {
          const ok = s !== null && s.state === 'Synced' && s.primary && s.ready;
          res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(s ? `${s.state} ${s.primary ? 'Primary' : 'non-Primary'}\n` : 'down\n');
        });
      });
      await new Promise<void>((resolve) => server.listen(n.checkPort, '127.0.0.1', resolve));
      this.checks.push(server);
    }
  }

  async sql(n: GaleraNode, statements: string[]): Promise<void> {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: n.port, user: 'root', multipleStatements: true });
    try {
      for (const s of statements) await c.query(s);
    } finally {
      await c.end();
    }
  }

  async stop(): Promise<void> {
    for (const s of this.checks.splice(0)) s.close();
    await Promise.all(GALERA_NODES.map((n) => this.kill(n, 'SIGTERM')));
  }
}

export const galeraInstalled = () => existsSync('/usr/lib/galera/libgalera_smm.so');
