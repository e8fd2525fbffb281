// `npm run test:mutants [-- <id> …] [--check] [--no-baseline] [--keep]`: re-measures the suite's strength. Each
// mutation below breaks one guarantee on purpose, in a scratch copy of the current working tree
// (/tmp/porthole-mutants-<TEST_DATABASE>/), and runs the unit/integration test files that should notice. A mutation
// the tests still pass with "survived": a hole in the suite. A mutation whose `from` text is no longer
// in its file is "stale": the code moved, so the mutation must be rewritten (never silently passed).
// Exit code 0 only when every selected mutation was caught.
//
// The scratch copy uses its own test database (TEST_DATABASE, default porthole_mutants_test) and the
// running local stack (npm run stack:start). One mutation at a time, on purpose: the machine is small.
import { type SpawnSyncReturns, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './stack/config';

export interface Mutation {
  id: string;
  description: string;
  file: string;
  /** Exact text that must occur exactly once in `file`. */
  from: string;
  to: string;
  /** The test files (unit or integration) expected to fail once the mutation is applied. */
  tests: string[];
}

export const MUTATIONS: Mutation[] = [
  {
    id: 'tenancy-owned-vm',
    description: 'the ownership check and the account VM list (one query) forget the account condition',
    file: 'lib/db/queries/vms.ts',
    from: '.where(and(eq(vms.accountId, accountId), vmId === undefined ? undefined : eq(vms.id, vmId)))',
    to: '.where(and(vmId === undefined ? undefined : eq(vms.id, vmId)))',
    tests: ['lib/vms/vm-queries.int.test.ts'],
  },
  {
    id: 'tenancy-account-report',
    description: 'the account availability report forgets the account condition',
    file: 'lib/db/queries/vms.ts',
    from: '.from(vms).where(eq(vms.accountId, accountId))).map((r) => r.id);',
    to: '.from(vms)).map((r) => r.id);',
    tests: ['lib/vms/vm-queries.int.test.ts'],
  },
  {
    id: 'ldap-escape-removed',
    description: 'LDAP filter values are no longer escaped',
    file: 'lib/auth/ldap-escape.ts',
    from: "  return value.replace(/[\\\\*()\\0]/g, (c) => `\\\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);",
    to: '  return value;',
    tests: ['lib/auth/ldap-escape.test.ts', 'lib/auth/ldap-filter.int.test.ts'],
  },
  {
    id: 'no-data-counted-as-up',
    description: 'time without data counts as up time',
    file: 'lib/monitoring/availability.ts',
    from: '  const knownMs = windowMs - noDataMs;\n  let upMs = 0;',
    to: '  const knownMs = windowMs - noDataMs;\n  let upMs = noDataMs;',
    tests: ['lib/monitoring/availability.test.ts'],
  },
  {
    id: 'ack-before-commit',
    description: 'the ingester acks a batch before its transaction commits',
    file: 'lib/ingest/ingester.ts',
    from: '    let delay = 500;\n    for (;;) {',
    to: '    this.ackAll(batch);\n    batch = [];\n    let delay = 500;\n    for (;;) {',
    tests: ['lib/ingest/ingester.int.test.ts'],
  },
  {
    id: 'invalid-message-throws',
    description: 'a message that does not parse throws instead of becoming a dead letter',
    file: 'lib/ingest/classify.ts',
    from: '  if (!parsed.ok) return parsed;',
    to: '  if (!parsed.ok) throw new Error(parsed.error);',
    tests: ['lib/ingest/classify.test.ts'],
  },
  {
    id: 'event-key-unstable',
    description: 'the event key of a seed-format event changes on every delivery (no deduplication)',
    file: 'lib/monitoring/event-key.ts',
    from: "    'content',\n    event.source ?? null,",
    to: "    'content', Date.now(),\n    event.source ?? null,",
    tests: ['lib/monitoring/event-key.test.ts', 'lib/db/queries/event-store.int.test.ts'],
  },
  {
    id: 'warn-crit-swapped-severity',
    description: 'WARNING ranks as the worse state and CRITICAL as the milder one',
    file: 'lib/monitoring/severity.ts',
    from: '  WARNING: 1,\n  UNKNOWN: 2,\n  CRITICAL: 3,',
    to: '  WARNING: 3,\n  UNKNOWN: 2,\n  CRITICAL: 1,',
    tests: ['lib/monitoring/severity.test.ts'],
  },
  {
    id: 'warn-crit-swapped-perfdata',
    description: 'perfdata warn and crit thresholds are read from each other’s field',
    file: 'lib/monitoring/perfdata.ts',
    from: "  const warnRange = range(warnPart, 'warn');\n  const critRange = range(critPart, 'crit');",
    to: "  const warnRange = range(critPart, 'warn');\n  const critRange = range(warnPart, 'crit');",
    tests: ['lib/monitoring/perfdata.test.ts'],
  },
  {
    id: 'throttle-user-off-by-one',
    description: 'the per-user failure limit is one higher than configured',
    file: 'lib/auth/throttle.ts',
    from: "    const max = scope === 'user' ? limits.maxPerUser : limits.maxPerIp;",
    to: "    const max = scope === 'user' ? limits.maxPerUser + 1 : limits.maxPerIp;",
    tests: ['lib/auth/throttle.int.test.ts'],
  },
  {
    id: 'throttle-ip-off-by-one',
    description: 'the per-IP failure limit is one higher than configured',
    file: 'lib/auth/throttle.ts',
    from: "    const max = scope === 'user' ? limits.maxPerUser : limits.maxPerIp;",
    to: "    const max = scope === 'user' ? limits.maxPerUser : limits.maxPerIp + 1;",
    tests: ['lib/auth/throttle.int.test.ts'],
  },
  {
    id: 'spool-newest-first',
    description: 'the spool is flushed newest event first',
    file: 'lib/cli/spool.ts',
    from: '    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));',
    to: '    return entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));',
    tests: ['lib/cli/spool.test.ts'],
  },
  {
    id: 'staff-guard-removed',
    description: 'requireStaff accepts any logged-in user',
    file: 'lib/auth/session.ts',
    from: '  if (!user.isStaff) forbidden();',
    to: '  if (!user.isStaff && false) forbidden();',
    tests: ['lib/auth/guards.int.test.ts'],
  },
];

const TEST_DATABASE = process.env.TEST_DATABASE || 'porthole_mutants_test';
// One scratch folder per test database, so two runs at once (two people, two helpers) never share one.
const SCRATCH = `/tmp/porthole-mutants-${TEST_DATABASE}`;
// Long enough for the slowest integration file (the ingester's outage test) with room to spare;
// a run that hits it counts as caught, but is reported as a timeout.
const RUN_TIMEOUT_MS = Number(process.env.MUTANTS_TIMEOUT_SECONDS || 600) * 1000;

type Verdict = 'caught' | 'caught (timeout)' | 'survived' | 'stale' | 'tests missing';

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/** The files of the working tree as it is now (tracked and new, not ignored), copied to `dir`. */
function copyWorkingTree(dir: string): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(path.join(PROJECT_ROOT, f)));
  for (const file of listed) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(PROJECT_ROOT, file), path.join(dir, file), { verbatimSymlinks: true });
  }
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return listed.length;
}

// `bail` for mutants: the first failing test is the verdict, so a mutation that breaks many slow tests
// (acks before commit) is reported in about the time the file normally takes, not after every one fails.
function runVitest(dir: string, tests: string[], bail = false): { result: SpawnSyncReturns<string>; seconds: number } {
  const started = Date.now();
  const flags = ['run', '--reporter=dot', ...(bail ? ['--bail=1'] : [])];
  const result = spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'vitest'), [...flags, ...tests], {
    cwd: dir,
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    env: {
      ...process.env,
      TEST_DATABASE,
      // The copy has no .data/ of its own: use the running stack's, never start a second one.
      PORTHOLE_DATA_DIR: process.env.PORTHOLE_DATA_DIR ?? path.join(PROJECT_ROOT, '.data'),
      PORTHOLE_TEST_DB_READY: '',
      CI: '1',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { result, seconds: (Date.now() - started) / 1000 };
}

const logOf = (r: SpawnSyncReturns<string>) => `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;

function main(): number {
  const args = process.argv.slice(2);
  const wanted = args.filter((a) => !a.startsWith('--'));
  const unknown = wanted.filter((id) => !MUTATIONS.some((m) => m.id === id));
  if (unknown.length > 0) {
    console.error(`[mutants] unknown mutation(s): ${unknown.join(', ')}; known: ${MUTATIONS.map((m) => m.id).join(', ')}`);
    return 2;
  }
  if (!TEST_DATABASE.endsWith('_test')) {
    console.error(`[mutants] TEST_DATABASE must end in _test (it is dropped and re-created), got ${TEST_DATABASE}`);
    return 2;
  }
  const selected = wanted.length > 0 ? MUTATIONS.filter((m) => wanted.includes(m.id)) : MUTATIONS;
  const base = path.join(SCRATCH, 'base');
  const count = copyWorkingTree(base);
  console.log(`[mutants] copied ${count} files of the working tree to ${base}; test database ${TEST_DATABASE}`);

  const verdicts = new Map<string, { verdict: Verdict; seconds: number; detail: string }>();
  for (const m of selected) {
    const file = path.join(base, m.file);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : null;
    const n = text === null ? 0 : occurrences(text, m.from);
    if (n !== 1) {
      const why = text === null ? `${m.file} does not exist` : n === 0 ? `anchor not found in ${m.file}` : `anchor found ${n} times in ${m.file}`;
      verdicts.set(m.id, { verdict: 'stale', seconds: 0, detail: `${why}; expected exactly once:\n${m.from.replace(/^/gm, '      | ')}` });
      continue;
    }
    const missing = m.tests.filter((t) => !existsSync(path.join(base, t)));
    if (missing.length > 0) verdicts.set(m.id, { verdict: 'tests missing', seconds: 0, detail: `no such test file: ${missing.join(', ')}` });
  }
  const runnable = selected.filter((m) => !verdicts.has(m.id));
  if (args.includes('--check')) {
    // Anchors only, no test runs: what the lead runs after a refactor.
    for (const m of selected) console.log(`  ${(verdicts.get(m.id)?.verdict ?? 'anchor ok').padEnd(16)} ${m.id}${verdicts.has(m.id) ? `\n      ${verdicts.get(m.id)!.detail}` : ''}`);
    rmSync(base, { recursive: true, force: true });
    return verdicts.size === 0 ? 0 : 1;
  }

  // The unmutated copy must pass the same tests, or a "caught" would mean nothing. Each mutation's files
  // run on their own, so its time can be set against the time those files normally take.
  const normalSeconds = new Map<string, number>();
  const filesKey = (m: Mutation) => m.tests.join(' ');
  if (!args.includes('--no-baseline')) {
    for (const key of new Set(runnable.map(filesKey))) {
      process.stdout.write(`[mutants] baseline: ${key} … `);
      const { result, seconds } = runVitest(base, key.split(' '));
      writeFileSync(path.join(SCRATCH, 'baseline.log'), logOf(result));
      if (result.status !== 0) {
        console.error(`fails\n${logOf(result).split('\n').slice(-60).join('\n')}`);
        console.error(`[mutants] the baseline fails (${seconds.toFixed(1)} s, log: ${SCRATCH}/baseline.log): fix the suite first, or run with --no-baseline`);
        return 1;
      }
      normalSeconds.set(key, seconds);
      console.log(`passes (${seconds.toFixed(1)} s)`);
    }
  }

  runnable.forEach((m, index) => {
    const dir = path.join(SCRATCH, `${index + 1}-${m.id}`);
    rmSync(dir, { recursive: true, force: true });
    cpSync(base, dir, { recursive: true, verbatimSymlinks: true });
    const file = path.join(dir, m.file);
    writeFileSync(file, readFileSync(file, 'utf8').replace(m.from, () => m.to));
    process.stdout.write(`[mutants] ${m.id}: ${m.tests.join(' ')} … `);
    const { result, seconds } = runVitest(dir, m.tests, true);
    const log = logOf(result);
    writeFileSync(`${dir}.log`, log);
    const timedOut = result.error !== undefined || result.signal !== null;
    const verdict: Verdict = timedOut ? 'caught (timeout)' : result.status === 0 ? 'survived' : 'caught';
    const failed = [...log.matchAll(/(?:FAIL|×)\s+(.+)$/gm)].map((x) => x[1]!.trim()).slice(0, 3);
    verdicts.set(m.id, { verdict, seconds, detail: verdict === 'survived' ? `all tests pass with the mutation (log: ${dir}.log)` : failed.join(' | ') });
    console.log(`${verdict} (${seconds.toFixed(1)} s)`);
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  });
  if (!args.includes('--keep')) rmSync(base, { recursive: true, force: true });

  console.log('\n[mutants] result');
  for (const m of selected) {
    const v = verdicts.get(m.id)!;
    const normal = normalSeconds.get(filesKey(m));
    const against = normal === undefined ? '' : ` (normal ${normal.toFixed(1)} s${v.seconds > normal ? ', SLOWER' : ''})`;
    console.log(`  ${v.verdict.padEnd(16)} ${v.seconds.toFixed(1).padStart(6)} s${against}  ${m.id}: ${m.description}`);
    if (v.detail && v.verdict !== 'caught') console.log(`      ${v.detail}`);
  }
  const caught = selected.filter((m) => verdicts.get(m.id)!.verdict.startsWith('caught')).length;
  const stale = selected.filter((m) => ['stale', 'tests missing'].includes(verdicts.get(m.id)!.verdict));
  const slower = selected.filter((m) => {
    const normal = normalSeconds.get(filesKey(m));
    return normal !== undefined && verdicts.get(m.id)!.verdict.startsWith('caught') && verdicts.get(m.id)!.seconds > normal;
  });
  if (slower.length > 0) console.log(`\n${slower.length} caught more slowly than the files' normal run: ${slower.map((m) => m.id).join(', ')}`);
  console.log(`\n${caught} of ${selected.length} caught${stale.length > 0 ? `; ${stale.length} stale (update the mutation: ${stale.map((m) => m.id).join(', ')})` : ''}`);
  return caught === selected.length ? 0 : 1;
}

process.exitCode = main();
