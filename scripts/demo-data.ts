import { createHash } from 'node:crypto';
import { count, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/lib/db/connection';
import { accounts, monitoringEvents, plans, vms } from '@/lib/db/schema';
import { type EventToStore, storeBatch } from '@/lib/db/queries/event-store';
import { dropOutboxForVms, ensureDefaultAlerts } from '@/lib/db/queries/alerts';

// The demo data set (a contract: README, tests and outside checks rely on these names).
export const DEMO_ACCOUNTS = [
  { slug: 'acme', name: 'Acme Ltd', contactEmail: 'ops@acme.example' },
  { slug: 'globex', name: 'Globex Corp', contactEmail: 'it@globex.example' },
  // No demo login belongs to it: an account staff look after (and read as its customer sees it).
  { slug: 'initech', name: 'Initech', contactEmail: 'it@initech.example' },
];

export const DEMO_PLANS = [
  { slug: 'small', name: 'Small', vcpus: 1, memoryMb: 1024, diskGb: 25, transferGb: 1000, priceCents: 600, sortOrder: 1 },
  { slug: 'medium', name: 'Medium', vcpus: 2, memoryMb: 4096, diskGb: 80, transferGb: 3000, priceCents: 2000, sortOrder: 2 },
  { slug: 'large', name: 'Large', vcpus: 4, memoryMb: 8192, diskGb: 160, transferGb: 5000, priceCents: 4000, sortOrder: 3 },
];

export const DEMO_VMS: Array<{ account: string; nagiosHostName: string; address: string; addressV6?: string; ubuntuRelease: string; plan: string; services: string[] }> = [
  { account: 'acme', nagiosHostName: 'web-01.acme.example', address: '192.0.2.10', ubuntuRelease: '22.04', plan: 'small', services: ['PING', 'SSH', 'HTTP', 'Disk /', 'Load'] },
  { account: 'acme', nagiosHostName: 'db-01.acme.example', address: '192.0.2.11', ubuntuRelease: '20.04', plan: 'medium', services: ['PING', 'SSH', 'MySQL', 'Disk /', 'Load'] },
  { account: 'globex', nagiosHostName: 'app-01.globex.example', address: '198.51.100.20', ubuntuRelease: '24.04', plan: 'large', services: ['PING', 'SSH', 'HTTP', 'Disk /', 'Load'] },
  {
    account: 'initech',
    nagiosHostName: 'files-01.initech.example',
    address: '203.0.113.30',
    addressV6: '2001:db8:30::1',
    ubuntuRelease: '24.04',
    plan: 'medium',
    services: ['PING', 'SSH', 'SMB', 'Disk /', 'Load'],
  },
];

/** A host Nagios watches that no VM matches yet: staff find its events under /admin/unassigned. */
const UNASSIGNED_HOST = { nagiosHostName: 'legacy-01.example', address: '203.0.113.99' };

const HOUR = 3600_000;
const key = (...parts: Array<string | number>) => createHash('sha256').update(`demo\0${parts.join('\0')}`).digest('hex');

/** A small deterministic pseudo-random sequence, so the demo looks the same on every machine. */
function random(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

const GB = 1e9;
/** Transfer a day per plan: db-01 (medium, 3,000 GB) is on course to run out before the month ends. */
const TRAFFIC_PER_DAY: Record<string, number> = { small: 12 * GB, medium: 130 * GB, large: 60 * GB };

/**
 * A traffic check's hourly counters (UOM `c`, bytes since the interface came up), as check_iftraffic
 * style plugins report them, with one reboot 12 days ago that resets them to zero.
 */
function trafficCounters(plan: string, rnd: () => number) {
  let rx = 5e12 * rnd();
  let tx = 2e12 * rnd();
  let hour = 0;
  const perHour = (TRAFFIC_PER_DAY[plan] ?? 20 * GB) / 24;
  return {
    next() {
      if (hour++ === 18 * 24) rx = tx = 0; // the reboot
      rx += perHour * 0.7 * (0.5 + rnd());
      tx += perHour * 0.3 * (0.5 + rnd());
      const [inBytes, outBytes] = [Math.round(rx), Math.round(tx)];
      return ['Traffic eth0', 'OK', `OK - eth0 in ${(inBytes / GB).toFixed(1)} GB, out ${(outBytes / GB).toFixed(1)} GB since boot`, `in=${inBytes}c out=${outBytes}c`,
        [{ label: 'in', value: inBytes, unit: 'c', warn: null, crit: null, min: 0, max: null }, { label: 'out', value: outBytes, unit: 'c', warn: null, crit: null, min: 0, max: null }]] as const;
    },
  };
}

/** 30 days of believable history for one VM: a few incidents, SOFT flaps, recoveries and hourly perfdata. */
function history(vm: (typeof DEMO_VMS)[number], now: number, seed: number): EventToStore[] {
  const rnd = random(seed);
  const start = now - 30 * 24 * HOUR;
  const base = { hostname: vm.address, hostName: vm.nagiosHostName, address: vm.address, source: 'demo', samples: [] };
  const out: EventToStore[] = [];
  const event = (i: number, service: string | null, state: string, stateType: 'HARD' | 'SOFT', at: number, output: string, attempt = 3) =>
    out.push({
      ...base,
      key: key(vm.nagiosHostName, service ?? '', i, 'event'),
      check: false,
      kind: service ? 'service' : 'host',
      service,
      state,
      stateType,
      stateDurationSec: 0,
      attempt: stateType === 'HARD' ? 3 : attempt,
      maxAttempts: 3,
      occurredAt: new Date(at),
      output,
      samples: [],
    });

  let i = 0;
  event(i++, null, 'UP', 'HARD', start, 'PING OK - Packet loss = 0%, RTA = 0.41 ms');
  for (const service of vm.services) event(i++, service, 'OK', 'HARD', start + 60_000, `${service} OK`);
  // Incidents spread over the month.
  for (let n = 0; n < 6; n++) {
    const service = vm.services[Math.floor(rnd() * vm.services.length)]!;
    const at = start + (n + 0.5 + rnd() * 0.4) * 5 * 24 * HOUR;
    const bad = rnd() < 0.5 ? 'WARNING' : 'CRITICAL';
    event(i++, service, bad, 'SOFT', at, `${service} ${bad} - first failed check`, 1);
    if (rnd() < 0.35) {
      event(i++, service, 'OK', 'HARD', at + 60_000, `${service} OK - recovered before it became HARD`);
      continue;
    }
    event(i++, service, bad, 'HARD', at + 120_000, `${service} ${bad} - ${bad === 'WARNING' ? 'degraded' : 'not responding'}`);
    event(i++, service, 'OK', 'HARD', at + 120_000 + (10 + rnd() * 80) * 60_000, `${service} OK`);
  }
  // One short host outage.
  const outage = start + 17.3 * 24 * HOUR;
  event(i++, null, 'DOWN', 'HARD', outage, 'CRITICAL - Host Unreachable (192.0.2.x)');
  event(i++, null, 'UP', 'HARD', outage + 7 * 60_000, 'PING OK - Packet loss = 0%');

  // Hourly disk and load perfdata (check results: samples and current state, no history rows). When
  // the disk check changes state, Nagios also runs the event handler: a HARD event in the history.
  let diskWas = 'OK';
  const diskGb = vm.plan === 'small' ? 25 : vm.plan === 'medium' ? 80 : 160;
  const diskMb = diskGb * 1024;
  let used = diskMb * (vm.plan === 'small' ? 0.62 : 0.4);
  const traffic = trafficCounters(vm.plan, rnd);
  for (let t = start; t <= now; t += HOUR) {
    used += diskMb * (vm.plan === 'small' ? 0.00035 : 0.0001) * (0.5 + rnd());
    const load = 0.2 + rnd() * 1.5;
    const warn = Math.round(diskMb * 0.8);
    const crit = Math.round(diskMb * 0.9);
    const diskState = used >= crit ? 'CRITICAL' : used >= warn ? 'WARNING' : 'OK';
    if (diskState !== diskWas) {
      event(i++, 'Disk /', diskState, 'HARD', t, `DISK ${diskState} - free space: / ${Math.round(diskMb - used)} MB`);
      diskWas = diskState;
    }
    for (const [service, state, output, perfdata, samples] of [
      ['Disk /', diskState, `DISK ${diskState} - free space: / ${Math.round(diskMb - used)} MB`, `/=${Math.round(used)}MB;${warn};${crit};0;${diskMb}`,
        [{ label: '/', value: Math.round(used), unit: 'MB', warn, crit, min: 0, max: diskMb }]],
      ['Load', 'OK', `OK - load average: ${load.toFixed(2)}`, `load1=${load.toFixed(2)};4;8;0`,
        [{ label: 'load1', value: Number(load.toFixed(2)), unit: '', warn: 4, crit: 8, min: 0, max: null }]],
      traffic.next(),
    ] as const) {
      out.push({
        ...base,
        key: key(vm.nagiosHostName, service, t, 'check'),
        check: true,
        kind: 'service',
        service,
        state,
        stateType: 'HARD',
        stateDurationSec: 0,
        attempt: 1,
        maxAttempts: 3,
        occurredAt: new Date(t),
        output,
        perfdata,
        samples: [...samples],
      });
    }
  }
  return out;
}

/** A few events of UNASSIGNED_HOST over the last day: a host check and two services, one of them failing. */
function unassignedEvents(now: number): EventToStore[] {
  const { nagiosHostName, address } = UNASSIGNED_HOST;
  const event = (i: number, service: string | null, state: string, at: number, output: string): EventToStore => ({
    key: key(nagiosHostName, service ?? '', i, 'unassigned'),
    check: false,
    kind: service ? 'service' : 'host',
    hostname: address,
    hostName: nagiosHostName,
    address,
    source: 'demo',
    service,
    state,
    stateType: 'HARD',
    stateDurationSec: 0,
    attempt: 3,
    maxAttempts: 3,
    occurredAt: new Date(at),
    output,
    samples: [],
  });
  return [
    event(0, null, 'UP', now - 20 * HOUR, 'PING OK - Packet loss = 0%, RTA = 1.20 ms'),
    event(1, 'SSH', 'OK', now - 20 * HOUR + 60_000, 'SSH OK - OpenSSH_8.9p1'),
    event(2, 'HTTP', 'CRITICAL', now - 3 * HOUR, 'HTTP CRITICAL - Unable to open TCP socket'),
  ];
}

/** Idempotent: rows are matched by their unique keys; history is added only to VMs that have none. */
export async function seedDemo(db: Database, now = Date.now()): Promise<void> {
  for (const a of DEMO_ACCOUNTS) {
    await db.insert(accounts).values(a).onDuplicateKeyUpdate({ set: { name: a.name } });
  }
  for (const p of DEMO_PLANS) {
    await db.insert(plans).values(p).onDuplicateKeyUpdate({ set: { name: p.name } });
  }
  const accountIds = new Map((await db.select().from(accounts)).map((a) => [a.slug, a.id]));
  const planIds = new Map((await db.select().from(plans)).map((p) => [p.slug, p.id]));
  for (const vm of DEMO_VMS) {
    await db
      .insert(vms)
      .values({
        accountId: accountIds.get(vm.account)!,
        nagiosHostName: vm.nagiosHostName,
        hostname: vm.nagiosHostName,
        address: vm.address,
        addressV6: vm.addressV6 ?? null,
        ubuntuRelease: vm.ubuntuRelease,
        planId: planIds.get(vm.plan)!,
      })
      .onDuplicateKeyUpdate({ set: { hostname: vm.nagiosHostName } });
  }
  const rows = await db.select({ id: vms.id, name: vms.nagiosHostName }).from(vms).where(inArray(vms.nagiosHostName, DEMO_VMS.map((v) => v.nagiosHostName)));
  for (const [index, vm] of DEMO_VMS.entries()) {
    const id = rows.find((r) => r.name === vm.nagiosHostName)!.id;
    const [existing] = await db.select({ n: count() }).from(monitoringEvents).where(eq(monitoringEvents.vmId, id));
    if ((existing?.n ?? 0) > 0) continue;
    const events = history(vm, now, index + 7);
    for (let i = 0; i < events.length; i += 500) await storeBatch(db, { events: events.slice(i, i + 500) });
  }
  const [unassigned] = await db.select({ n: count() }).from(monitoringEvents).where(eq(monitoringEvents.hostName, UNASSIGNED_HOST.nagiosHostName));
  if ((unassigned?.n ?? 0) === 0) await storeBatch(db, { events: unassignedEvents(now) });
  // The seeded history is the past: it alerts nobody. Each account gets its default rule.
  await dropOutboxForVms(db, rows.map((r) => r.id));
  for (const id of accountIds.values()) await ensureDefaultAlerts(db, id);
}
