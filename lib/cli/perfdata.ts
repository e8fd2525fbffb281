// porthole-perfdata: Nagios' service_perfdata_file_processing_command / host_perfdata_file_processing_command,
// the zero-fork path. Nagios appends every check to the file; this sends each line (templates in
// ./perfdata-file.ts) as a state event (when Nagios changed the state at that check) or a check result,
// in file order, all over one connection, and removes the file only after the broker confirmed every
// line (or, when no broker answers, after the lines are safely in the spool, to be sent in order by
// the next successful run). One process per file and run, however many checks the file holds.
import { randomBytes } from './fast-crypto';
import { readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { isAlive, Spool } from './spool';
import { BROKER_HELP, DESTINATION_HELP, ENV_HELP, USAGE, parseBroker, parseCliEnv, parseDestination } from './args';
import { deliver } from './deliver';
import { parsePerfdataText } from './perfdata-file';
import { type CliMain, EXIT_FAILURE, EXIT_OK, stderrLogger, usageError } from './run';

const NAME = 'porthole-perfdata';
const SHOW_MALFORMED = 10;

export const perfdataMain: CliMain = async (io) => {
  const usage = USAGE[NAME];
  if (io.argv.length === 1 && (io.argv[0] === '--help' || io.argv[0] === '-h')) {
    await io.stdout([usage, BROKER_HELP, DESTINATION_HELP, ENV_HELP].join('\n') + '\n');
    return EXIT_OK;
  }
  if (io.argv.length !== 3) return usageError(io, NAME, `expected 3 arguments, got ${io.argv.length}`, usage, BROKER_HELP, DESTINATION_HELP);
  const broker = parseBroker(io.argv[0]);
  if (!broker.ok) return usageError(io, NAME, broker.error, usage, BROKER_HELP);
  const destination = parseDestination(io.argv[1]);
  if (!destination.ok) return usageError(io, NAME, destination.error, usage, DESTINATION_HELP);
  const file = io.argv[2]!;
  if (!isAbsolute(file) || file.endsWith('/')) return usageError(io, NAME, `FILE must be an absolute file path (got ${JSON.stringify(file)})`, usage);
  const env = parseCliEnv(io.env, hostname());
  if (!env.ok) return usageError(io, NAME, env.error, usage, ENV_HELP);

  const log = stderrLogger(NAME, io);
  const claimed = claimPerfdataFiles(file);
  let lines = 0;
  let stateEvents = 0;
  const bodies: string[] = [];
  const malformed: string[] = [];
  for (const path of claimed) {
    const parsed = parsePerfdataText(readFileSync(path, 'utf8'), env.value.source);
    lines += parsed.lines;
    stateEvents += parsed.stateEvents;
    for (const body of parsed.bodies) bodies.push(body);
    for (const m of parsed.malformed) malformed.push(`${basename(path)} line ${m.line}: ${m.reason}`);
  }
  for (const m of malformed.slice(0, SHOW_MALFORMED)) log(`skipped malformed ${m}`);
  if (malformed.length > SHOW_MALFORMED) log(`... and ${malformed.length - SHOW_MALFORMED} more malformed lines`);

  let report;
  try {
    report = await deliver(bodies.length > 0 ? { destination: destination.value, bodies } : null, {
      endpoints: broker.value,
      spool: new Spool(env.value.spoolDir),
      connectTimeoutMs: env.value.connectTimeoutMs,
      receiptTimeoutMs: env.value.receiptTimeoutMs,
      log,
    });
  } catch (error) {
    // The claimed files stay; the next run takes them over (their claiming process is gone by then).
    log(`broker unavailable and the spool is not writable (${error instanceof Error ? error.message : String(error)}); kept ${claimed.join(', ')}`);
    return EXIT_FAILURE;
  }
  // Confirmed by the broker, spooled, or nothing usable in them: the claimed files are done.
  for (const path of claimed) unlinkSync(path);

  if (claimed.length === 0 && report.outcome === 'idle' && report.flushedFiles === 0) return EXIT_OK;
  const what = `${stateEvents > 0 ? `${stateEvents} state event(s) and ` : ''}${bodies.length - stateEvents} check result(s) from ${lines} line(s)${malformed.length ? `, ${malformed.length} malformed line(s) skipped` : ''}`;
  const flushed = report.flushedFiles > 0 ? `; sent ${report.flushedFiles} spooled file(s) first` : '';
  if (report.outcome === 'spooled') log(`${report.brokerError}; spooled ${what} to ${report.spooledPath}${flushed}`);
  else log(`sent ${what}${flushed}${report.brokerError ? `; ${report.brokerError}` : ''}`);
  return EXIT_OK;
};

/**
 * Takes the perfdata file away from Nagios by renaming it (Nagios reopens a fresh one), after first
 * taking over files claimed by earlier runs that died. Returns the claimed paths, oldest data first.
 * Claim names: `<file>.porthole-claim-<pid>-<serial>-<random>`; the serial (claim time) is kept on
 * takeover so the order survives, the random part keeps two takeovers from ever colliding.
 */
export function claimPerfdataFiles(file: string, pid: number = process.pid): string[] {
  const dir = dirname(file);
  const prefix = `${basename(file)}.porthole-claim-`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const leftovers = names
    .filter((name) => name.startsWith(prefix))
    .map((name) => ({ name, m: CLAIM.exec(name.slice(prefix.length)) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => a.m[2]!.localeCompare(b.m[2]!) || a.name.localeCompare(b.name));
  const claimed: string[] = [];
  for (const { name, m } of leftovers) {
    const owner = Number(m[1]);
    if (owner !== pid && isAlive(owner)) continue;
    const target = join(dir, `${prefix}${pid}-${m[2]}-${randomBytes(4).toString('hex')}`);
    if (tryRename(join(dir, name), target)) claimed.push(target);
  }
  const serial = String(Date.now()).padStart(15, '0');
  const fresh = join(dir, `${prefix}${pid}-${serial}-${randomBytes(4).toString('hex')}`);
  if (tryRename(file, fresh)) claimed.push(fresh);
  return claimed;
}

const CLAIM = /^(\d{1,10})-(\d{15})-([0-9a-f]{8})$/;

function tryRename(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
