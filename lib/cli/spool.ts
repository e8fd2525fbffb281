// The on-disk spool: messages the broker has not confirmed yet. One file per batch (a state-change
// event is a batch of one; a perfdata file that could not be sent is one batch of many), so a file
// is the unit that is written atomically, sent, confirmed and deleted.
//
//   <dir>/00001795543186085123-0004242-000001-<uuid>.json          waiting, names sort oldest first
//   <dir>/….json.claim-<pid>                                         being sent by process <pid>
//   <dir>/tmp-<uuid>                                                 being written (renamed when complete)
//   <dir>/bad/….json                                                 unreadable, moved aside for a human
//
// Writing: tmp file (O_EXCL, 0600) → write → fsync → rename → fsync the directory.
// Sending: claim a file by renaming it to `.claim-<pid>` (atomic: two processes never both win),
// delete it only after the broker confirmed it, or rename it back when sending failed. A claim whose
// process is gone (killed by Nagios' timeout) is taken over by the next run.
import { randomUUID } from './fast-crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

export interface SpoolRecord {
  destination: string;
  /** Message bodies, sent in this order. */
  bodies: string[];
}

export interface SpoolEntry {
  /** The unclaimed file name (`….json`): the sort key. */
  name: string;
  /** The current file name (`name`, or `name.claim-<pid>`). */
  file: string;
  /** Pid holding the claim, or null. */
  claimedBy: number | null;
}

export interface ClaimedFile {
  name: string;
  path: string;
}

export class SpoolFormatError extends Error {
  override name = 'SpoolFormatError';
}

const ENTRY = /^(\d{17}-\d{7}-\d{6}-[0-9a-f-]{36}\.json)(?:\.claim-(\d{1,10}))?$/;
const TMP = /^tmp-[0-9a-f-]{36}$/;
const FORMAT_VERSION = 1;

let sequence = 0;

export class Spool {
  constructor(
    readonly dir: string,
    private readonly pid: number = process.pid,
  ) {}

  /** Spooled files, oldest first. A missing directory is an empty spool. */
  list(): SpoolEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: SpoolEntry[] = [];
    for (const file of names) {
      const m = ENTRY.exec(file);
      if (m) entries.push({ name: m[1]!, file, claimedBy: m[2] === undefined ? null : Number(m[2]) });
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Writes one batch durably; returns its path. Creates the directory (0700) when missing. */
  write(record: SpoolRecord): string {
    ensureDir(this.dir);
    const micros = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
    const name = `${micros.toString().padStart(17, '0')}-${String(this.pid % 1e7).padStart(7, '0')}-${String(++sequence % 1e6).padStart(6, '0')}-${randomUUID()}.json`;
    const tmp = join(this.dir, `tmp-${randomUUID()}`);
    const data = JSON.stringify({ v: FORMAT_VERSION, destination: record.destination, bodies: record.bodies });
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      safeUnlink(tmp);
      throw error;
    }
    closeSync(fd);
    const path = join(this.dir, name);
    try {
      renameSync(tmp, path);
    } catch (error) {
      safeUnlink(tmp);
      throw error;
    }
    fsyncDir(this.dir);
    return path;
  }

  /**
   * Claims an entry for this process. Returns null when another process got it first, or when it is
   * claimed by a process that is still alive.
   */
  claim(entry: SpoolEntry): ClaimedFile | null {
    if (entry.claimedBy !== null && entry.claimedBy !== this.pid && isAlive(entry.claimedBy)) return null;
    const path = join(this.dir, `${entry.name}.claim-${this.pid}`);
    if (entry.file === `${entry.name}.claim-${this.pid}`) return { name: entry.name, path };
    try {
      renameSync(join(this.dir, entry.file), path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return { name: entry.name, path };
  }

  /** Reads and checks a claimed file; throws `SpoolFormatError` when it is not a spool record. */
  read(claimed: ClaimedFile): SpoolRecord {
    const text = readFileSync(claimed.path, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new SpoolFormatError(text.length === 0 ? 'empty file' : 'not valid JSON');
    }
    const r = value as { v?: unknown; destination?: unknown; bodies?: unknown };
    if (typeof r !== 'object' || r === null || r.v !== FORMAT_VERSION) throw new SpoolFormatError(`not a version ${FORMAT_VERSION} spool record`);
    if (typeof r.destination !== 'string' || !/^\/(queue|topic)\/[\x21-\x7e]+$/.test(r.destination)) {
      throw new SpoolFormatError('no valid destination');
    }
    if (!Array.isArray(r.bodies) || r.bodies.length === 0) throw new SpoolFormatError('no message bodies');
    for (const body of r.bodies) {
      if (typeof body !== 'string' || body === '' || body.includes('\u0000')) throw new SpoolFormatError('a message body is not a non-empty string');
    }
    return { destination: r.destination, bodies: r.bodies as string[] };
  }

  /** The broker confirmed it: delete. */
  complete(claimed: ClaimedFile): void {
    safeUnlink(claimed.path);
  }

  /** Sending failed: put it back, unchanged, for the next run. */
  release(claimed: ClaimedFile): void {
    renameSync(claimed.path, join(this.dir, claimed.name));
  }

  /** Moves an unreadable file to `bad/` so it never blocks the others; returns its new path. */
  quarantine(claimed: ClaimedFile): string {
    const badDir = join(this.dir, 'bad');
    ensureDir(badDir);
    const target = join(badDir, claimed.name);
    renameSync(claimed.path, target);
    return target;
  }

  /**
   * Temporary files older than `maxAgeMs` belong to writers that died before the rename: moved to
   * `bad/` for inspection (they may be incomplete). Returns their new paths.
   */
  sweepStaleTemporaries(maxAgeMs = 10 * 60_000): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => TMP.test(n));
    } catch {
      return [];
    }
    const moved: string[] = [];
    for (const n of names) {
      const path = join(this.dir, n);
      try {
        if (Date.now() - statSync(path).mtimeMs < maxAgeMs) continue;
        const badDir = join(this.dir, 'bad');
        ensureDir(badDir);
        renameSync(path, join(badDir, n));
        moved.push(join(badDir, n));
      } catch {
        // gone meanwhile, or not ours to move: leave it
      }
    }
    return moved;
  }
}

/** True when `pid` exists (EPERM: exists, owned by someone else). */
export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `mkdir -p` with mode 0700 for the directories it creates. Not `mkdirSync(…, { recursive: true })`:
 * Node 20 loops forever on some paths (e.g. under /proc, where mkdir answers ENOENT), which would hang
 * the command until Nagios kills it and the event would be lost. This fails instead.
 */
export function ensureDir(dir: string): void {
  if (tryMkdir(dir)) return;
  const parent = dirname(dir);
  if (parent === dir) throw new Error(`cannot create ${dir}`);
  ensureDir(parent);
  if (!tryMkdir(dir)) {
    mkdirSync(dir, 0o700); // the parent exists now: report this error as it is
  }
}

/** true: the directory exists now; false: its parent is missing. */
function tryMkdir(dir: string): boolean {
  try {
    mkdirSync(dir, 0o700);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!statSync(dir).isDirectory()) throw new Error(`${dir} exists and is not a directory`);
      return true;
    }
    if (code === 'ENOENT') return false;
    throw error;
  }
}

function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported on every filesystem; the file itself is already synced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
