import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import mysql from 'mysql2/promise';

// Seeding for `npm run bench:portal`: millions of monitoring events in minutes.
//
// How it stays fast without changing what is measured:
// - rows are generated in time order with explicit ids, so the clustered index is appended to;
// - they go in through LOAD DATA LOCAL INFILE in chunks (one statement per chunk, autocommit);
// - the secondary indexes of the two big tables are dropped before a load and re-created after it
//   from the definitions the migrations made (InnoDB builds an index by sorting, instead of millions of
//   random B-tree inserts through a small buffer pool). The result is checked against the migrated
//   table definition, so the measured schema is exactly the application's.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SeedPlan {
  /** All VMs, the heavy one included. */
  vms: number;
  /** Events in the whole history (both phases). */
  events: number;
  /** Events of the heavy VM (acme's, alice's account). */
  heavyEvents: number;
  heavyServices: number;
  /** VMs of globex (bob's account): the dashboard of a big account. */
  accountVms: number;
  /** History length; phase "recent" covers the newer half, phase "older" the older half. */
  days: number;
  /** Hourly perfdata for this many days before now, for every VM. */
  perfDays: number;
}

export const HEAVY_HOST = 'heavy-01.acme.example';
export const NORMAL_SERVICES = ['PING', 'SSH', 'HTTP', 'HTTPS', 'Disk /', 'Load', 'Memory', 'Swap', 'NTP', 'Transfer'];
const HEAVY_BASES = ['HTTP', 'HTTPS', 'TCP', 'Disk', 'Process', 'Certificate', 'Queue', 'Backup', 'DNS', 'SMTP'];

export function heavyServiceNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${HEAVY_BASES[i % HEAVY_BASES.length]} ${String(Math.floor(i / HEAVY_BASES.length) + 1).padStart(2, '0')}`);
}

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same history. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(lambda: number, rnd: () => number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rnd();
  while (p > limit) {
    k++;
    p *= rnd();
  }
  return k;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** UTC DATETIME(3) text, as the connection stores it. */
export function sqlTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export interface BenchVm {
  id: number;
  name: string;
  address: string;
  services: string[];
  /** Events per hour of history. */
  incidentsPerHour: number;
}

interface Pending {
  t: number;
  vm: number;
  service: number; // -1 = host
  state: string;
  type: 'HARD' | 'SOFT';
  attempt: number;
  duration: number;
  output: string;
}

/** A binary min-heap on time: incidents schedule their later events, rows come out in time order. */
class EventHeap {
  private items: Pending[] = [];
  get size() {
    return this.items.length;
  }
  peek(): Pending | undefined {
    return this.items[0];
  }
  push(item: Pending) {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.t <= item.t) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = item;
  }
  pop(): Pending | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let mt = last.t;
        if (l < a.length && a[l]!.t < mt) {
          m = l;
          mt = a[l]!.t;
        }
        if (r < a.length && a[r]!.t < mt) m = r;
        if (m === i) break;
        a[i] = a[m]!;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}

const MEAN_EVENTS_PER_INCIDENT = 0.3 * 2 + 0.7 * 4;

export function benchVms(plan: SeedPlan): BenchVm[] {
  const hours = plan.days * 24;
  const normal = Math.max(0, plan.events - plan.heavyEvents) / Math.max(1, plan.vms - 1);
  return Array.from({ length: plan.vms }, (_, i) => {
    const heavy = i === 0;
    const n = i + 1;
    return {
      id: n,
      name: heavy ? HEAVY_HOST : `vm-${pad(n, 4)}.bench.example`,
      address: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      services: heavy ? heavyServiceNames(plan.heavyServices) : NORMAL_SERVICES,
      incidentsPerHour: (heavy ? plan.heavyEvents : normal) / hours / MEAN_EVENTS_PER_INCIDENT,
    };
  });
}

export interface PhaseResult {
  rows: number;
  lastState: Map<string, { state: string; type: 'HARD' | 'SOFT'; at: number; attempt: number; output: string }>;
}

/**
 * Generates one phase's events in time order and hands them to `sink` as TSV chunks. `from`..`to` is the
 * phase's time span; every host and service starts it with a HARD OK/UP event.
 */
export async function generatePhase(
  vmsList: BenchVm[],
  span: { from: number; to: number; firstId: number; seed: number },
  sink: (tsv: string, rows: number) => Promise<void>,
  chunkRows = 100_000,
): Promise<PhaseResult> {
  const rnd = random(span.seed);
  const heap = new EventHeap();
  const maxServices = Math.max(...vmsList.map((v) => v.services.length)) + 1;
  const busyUntil = new Float64Array(vmsList.length * maxServices);
  const lastState: PhaseResult['lastState'] = new Map();
  let id = span.firstId;
  let lines: string[] = [];
  let rows = 0;

  const emit = async (e: Pending) => {
    const vm = vmsList[e.vm]!;
    const service = e.service < 0 ? '' : vm.services[e.service]!;
    const key = createHash('sha256').update(`bench\0${id}`).digest('hex');
    const received = Math.min(span.to, e.t + 50 + Math.floor(rnd() * 900));
    lines.push(
      `${id}\t${key}\t${vm.id}\t${vm.address}\t${vm.name}\t${e.service < 0 ? 'host' : 'service'}\t${service}\t${e.state}\t${e.type}\t${e.duration}\t${e.attempt}\t3\t${sqlTime(e.t)}\t${sqlTime(received)}\t${e.output}\tbench`,
    );
    lastState.set(`${vm.id}\0${service}`, { state: e.state, type: e.type, at: e.t, attempt: e.attempt, output: e.output });
    id++;
    rows++;
    if (lines.length >= chunkRows) {
      const tsv = lines.join('\n');
      const n = lines.length;
      lines = [];
      await sink(tsv, n);
    }
  };

  // The known starting state of everything.
  for (const [v, vm] of vmsList.entries()) {
    heap.push({ t: span.from + v, vm: v, service: -1, state: 'UP', type: 'HARD', attempt: 1, duration: 0, output: 'PING OK - Packet loss = 0%, RTA = 0.52 ms' });
    vm.services.forEach((s, i) =>
      heap.push({ t: span.from + 1000 + v + i, vm: v, service: i, state: 'OK', type: 'HARD', attempt: 1, duration: 0, output: `${s} OK` }),
    );
  }

  for (let hour = span.from; hour < span.to; hour += HOUR) {
    for (const [v, vm] of vmsList.entries()) {
      const n = poisson(vm.incidentsPerHour, rnd);
      for (let k = 0; k < n; k++) {
        const start = hour + Math.floor(rnd() * HOUR);
        const hostIncident = rnd() < 0.02;
        // A service already in an incident is skipped for another one, so the event count stays on plan.
        let s = hostIncident ? -1 : Math.floor(rnd() * vm.services.length);
        for (let tries = 0; busyUntil[v * maxServices + s + 1]! > start && tries < 10; tries++) s = Math.floor(rnd() * vm.services.length);
        const slot = v * maxServices + s + 1;
        if (busyUntil[slot]! > start) continue;
        const name = s < 0 ? 'Host' : vm.services[s]!;
        const bad = s < 0 ? 'DOWN' : rnd() < 0.55 ? 'WARNING' : rnd() < 0.9 ? 'CRITICAL' : 'UNKNOWN';
        const good = s < 0 ? 'UP' : 'OK';
        const push = (t: number, state: string, type: 'HARD' | 'SOFT', attempt: number, duration: number, output: string) =>
          heap.push({ t, vm: v, service: s, state, type, attempt, duration, output });
        push(start, bad, 'SOFT', 1, 0, `${name} ${bad} - first failed check`);
        if (rnd() < 0.3) {
          // Flapping: caught by the retries, never HARD.
          push(start + 60_000, good, 'HARD', 1, 60, `${name} ${good} - recovered`);
          busyUntil[slot] = start + 60_000;
          continue;
        }
        const minutes = rnd() < 0.1 ? 60 + rnd() * 600 : 3 + rnd() * 60;
        const end = start + 120_000 + Math.floor(minutes * 60_000);
        push(start + 60_000, bad, 'SOFT', 2, 60, `${name} ${bad} - second failed check`);
        push(start + 120_000, bad, 'HARD', 3, 120, `${name} ${bad} - ${bad === 'WARNING' ? 'degraded' : 'not responding'}`);
        push(end, good, 'HARD', 1, Math.round((end - start) / 1000), `${name} ${good}`);
        busyUntil[slot] = end;
      }
    }
    const horizon = hour + HOUR;
    while (heap.size > 0 && heap.peek()!.t < horizon) await emit(heap.pop()!);
  }
  // Incidents still open at the end of the span stay open: nothing is stored from the future.
  while (heap.size > 0 && heap.peek()!.t < span.to) await emit(heap.pop()!);
  if (lines.length > 0) await sink(lines.join('\n'), lines.length);
  return { rows, lastState };
}

export const EVENT_COLUMNS =
  '(id, event_key, vm_id, hostname, host_name, kind, service, state, state_type, state_duration_sec, attempt, max_attempts, occurred_at, received_at, output, source)';
export const SAMPLE_COLUMNS = '(id, event_key, vm_id, hostname, service, label, value, unit, warn, crit, min, max, sampled_at)';

function* splitBuffer(buffer: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

/** LOAD DATA LOCAL INFILE of one TSV chunk. */
export async function loadTsv(conn: mysql.Connection, table: string, columns: string, tsv: string): Promise<void> {
  await conn.query({
    sql: `LOAD DATA LOCAL INFILE 'chunk.tsv' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ${columns}`,
    // mysql2 sends each stream chunk as one packet: keep them well under max_allowed_packet.
    infileStreamFactory: () => Readable.from(splitBuffer(Buffer.from(tsv, 'utf8'), 256 * 1024)),
  });
}

interface IndexDef {
  name: string;
  unique: boolean;
  columns: string[];
}

export async function secondaryIndexes(conn: mysql.Connection, table: string): Promise<IndexDef[]> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [table],
  );
  const byName = new Map<string, IndexDef>();
  for (const r of rows) {
    const def = byName.get(r.name) ?? { name: r.name as string, unique: Number(r.nonUnique) === 0, columns: [] };
    def.columns.push(r.col as string);
    byName.set(def.name, def);
  }
  return [...byName.values()];
}

export async function dropIndexes(conn: mysql.Connection, table: string, defs: IndexDef[]): Promise<void> {
  const present = new Set((await secondaryIndexes(conn, table)).map((d) => d.name));
  const drops = defs.filter((d) => present.has(d.name)).map((d) => `DROP INDEX \`${d.name}\``);
  if (drops.length > 0) await conn.query(`ALTER TABLE \`${table}\` ${drops.join(', ')}`);
}

/** Re-creates the indexes (one table scan, one sort per index) and checks the table is as migrated. */
export async function restoreIndexes(conn: mysql.Connection, table: string, defs: IndexDef[], expectedDdl: string): Promise<void> {
  const present = new Set((await secondaryIndexes(conn, table)).map((d) => d.name));
  const adds = defs
    .filter((d) => !present.has(d.name))
    .map((d) => `ADD ${d.unique ? 'UNIQUE ' : ''}INDEX \`${d.name}\` (${d.columns.map((c) => `\`${c}\``).join(', ')})`);
  if (adds.length > 0) await conn.query(`ALTER TABLE \`${table}\` ${adds.join(', ')}, ALGORITHM=INPLACE`);
  const ddl = await tableDdl(conn, table);
  // Same columns and the same indexes; only the order of the index lines may differ.
  const canonical = (text: string) => text.split('\n').map((l) => l.trim().replace(/,$/, '')).sort().join('\n');
  if (canonical(ddl) !== canonical(expectedDdl)) throw new Error(`${table}: the table after seeding differs from the migrated one:\n${ddl}\n---\n${expectedDdl}`);
}

/** SHOW CREATE TABLE without the AUTO_INCREMENT counter. */
export async function tableDdl(conn: mysql.Connection, table: string): Promise<string> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE \`${table}\``);
  return String(rows[0]!['Create Table']).replace(/ AUTO_INCREMENT=\d+/, '');
}

/** Hourly perfdata for every VM: disk use and load (and transfer on the heavy VM), as check results store them. */
export async function* perfChunks(vmsList: BenchVm[], now: number, days: number, firstId: number, chunkRows = 100_000): AsyncGenerator<[string, number]> {
  const rnd = random(99);
  let id = firstId;
  let lines: string[] = [];
  const start = now - days * DAY;
  for (const vm of vmsList) {
    const diskMb = 80 * 1024;
    let used = diskMb * (0.3 + rnd() * 0.4);
    let transfer = 0;
    for (let t = Math.ceil(start / HOUR) * HOUR; t <= now; t += HOUR) {
      used = Math.min(diskMb, used + diskMb * 0.0002 * (rnd() - 0.3));
      const load = 0.2 + rnd() * 2;
      const key = createHash('sha256').update(`benchperf\0${vm.id}\0${t}`).digest('hex');
      const at = sqlTime(t);
      lines.push(`${id++}\t${key}\t${vm.id}\t${vm.address}\tDisk /\t/\t${Math.round(used)}\tMB\t${Math.round(diskMb * 0.8)}\t${Math.round(diskMb * 0.9)}\t0\t${diskMb}\t${at}`);
      lines.push(`${id++}\t${key}\t${vm.id}\t${vm.address}\tLoad\tload1\t${load.toFixed(2)}\t\t4\t8\t0\t\\N\t${at}`);
      if (vm.id === 1) {
        transfer += 1e9 * (0.5 + rnd());
        lines.push(`${id++}\t${key}\t${vm.id}\t${vm.address}\tTransfer\ttx\t${Math.round(transfer)}\tB\t\\N\t\\N\t0\t\\N\t${at}`);
      }
      if (lines.length >= chunkRows) {
        yield [lines.join('\n'), lines.length];
        lines = [];
      }
    }
  }
  if (lines.length > 0) yield [lines.join('\n'), lines.length];
}
