import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, Spool, SpoolFormatError } from './spool';

let base: string;
let dir: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'porthole-spool-test-'));
  dir = join(base, 'nested', 'spool');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const record = (i: number) => ({ destination: '/queue/test', bodies: [JSON.stringify({ i })] });
/** A pid that certainly belongs to no running process. */
const deadPid = () => spawnSync('true').pid;

describe('Spool', () => {
  it('treats a missing directory as empty, and creates it (0700) with files (0600) on write', () => {
    const spool = new Spool(dir);
    expect(spool.list()).toEqual([]);
    const path = spool.write(record(1));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([path.slice(dir.length + 1)]); // no temporary file left behind
  });

  it('lists oldest first, across processes writing in turn', () => {
    const a = new Spool(dir, 999_999);
    const b = new Spool(dir, 12);
    const written = Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).write(record(i)));
    expect(a.list().map((e) => join(dir, e.file))).toEqual(written);
    const bodies = a.list().map((e) => a.read(a.claim(e)!).bodies[0]);
    expect(bodies).toEqual(Array.from({ length: 30 }, (_, i) => JSON.stringify({ i })));
  });

  it('claims, completes and releases', () => {
    const spool = new Spool(dir);
    spool.write(record(1));
    spool.write(record(2));
    const [first, second] = spool.list();
    const claimed = spool.claim(first!)!;
    expect(spool.read(claimed)).toEqual(record(1));
    expect(spool.list().map((e) => e.claimedBy)).toEqual([process.pid, null]);
    spool.complete(claimed);
    const again = spool.claim(second!)!;
    spool.release(again);
    expect(spool.list()).toEqual([{ name: second!.name, file: second!.name, claimedBy: null }]);
  });

  it('lets only one process win a claim', () => {
    new Spool(dir).write(record(1));
    const [entry] = new Spool(dir).list();
    const a = new Spool(dir, 111_111).claim(entry!);
    const b = new Spool(dir, 222_222).claim(entry!);
    expect(a).not.toBeNull();
    expect(b).toBeNull();
  });

  it('leaves claims of live processes alone and takes over claims of dead ones', () => {
    const live = new Spool(dir, process.ppid);
    live.write(record(1));
    live.claim(live.list()[0]!);
    const other = new Spool(dir, 333_333);
    expect(other.claim(other.list()[0]!)).toBeNull();

    const dead = new Spool(dir, deadPid());
    dead.write(record(2));
    dead.claim(dead.list()[1]!);
    const taken = other.claim(other.list()[1]!);
    expect(taken).not.toBeNull();
    expect(other.read(taken!)).toEqual(record(2));
  });

  it.each([
    ['', /empty file/],
    ['{"v":1,"destination":"/queue/x","bod', /not valid JSON/],
    ['{"v":2,"destination":"/queue/x","bodies":["{}"]}', /version 1/],
    ['{"v":1,"destination":"queue/x","bodies":["{}"]}', /destination/],
    ['{"v":1,"destination":"/queue/x","bodies":[]}', /no message bodies/],
    ['{"v":1,"destination":"/queue/x","bodies":[{}]}', /not a non-empty string/],
    ['{"v":1,"destination":"/queue/x","bodies":["a\\u0000b"]}', /not a non-empty string/],
  ])('rejects a corrupt file %j, and quarantines it into bad/', (content, reason) => {
    const spool = new Spool(dir);
    const path = spool.write(record(1));
    writeFileSync(path, content);
    const claimed = spool.claim(spool.list()[0]!)!;
    expect(() => spool.read(claimed)).toThrow(SpoolFormatError);
    expect(() => spool.read(claimed)).toThrow(reason);
    const moved = spool.quarantine(claimed);
    expect(moved).toBe(join(dir, 'bad', claimed.name));
    expect(existsSync(moved)).toBe(true);
    expect(spool.list()).toEqual([]);
  });

  it('moves abandoned temporary files aside, but not fresh ones', () => {
    const spool = new Spool(dir);
    spool.write(record(1));
    const old = join(dir, 'tmp-00000000-0000-4000-8000-000000000001');
    const fresh = join(dir, 'tmp-00000000-0000-4000-8000-000000000002');
    writeFileSync(old, '{"v":1');
    writeFileSync(fresh, '{"v":1');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(old, hourAgo, hourAgo);
    expect(spool.sweepStaleTemporaries()).toEqual([join(dir, 'bad', 'tmp-00000000-0000-4000-8000-000000000001')]);
    expect(existsSync(fresh)).toBe(true);
    expect(spool.list()).toHaveLength(1);
  });

  it('fails (does not hang) when the directory cannot be created', () => {
    const started = Date.now();
    expect(() => new Spool('/proc/porthole-cannot-exist/spool').write(record(1))).toThrow();
    writeFileSync(join(base, 'file'), '');
    expect(() => new Spool(join(base, 'file', 'spool')).write(record(1))).toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ignores foreign files', () => {
    const spool = new Spool(dir);
    spool.write(record(1));
    writeFileSync(join(dir, 'README'), 'hello');
    writeFileSync(join(dir, 'x.json'), '{}');
    expect(spool.list()).toHaveLength(1);
  });
});

describe('isAlive', () => {
  it('knows live and dead pids', () => {
    expect(isAlive(process.pid)).toBe(true);
    expect(isAlive(process.ppid)).toBe(true);
    expect(isAlive(deadPid())).toBe(false);
  });
});
