// Which process listens on a local TCP port, from /proc (Linux): the benchmarks measure the broker's and
// the database's CPU this way, so the figures are there even when the stack was started from another
// checkout (whose pid files this one does not see).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** The pid of the process listening on `port` (IPv4 or IPv6), or undefined. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const localPort = parseInt(f[1]!.split(':').at(-1)!, 16);
      if (localPort === port && f[3] === '0A' /* LISTEN */) inodes.add(f[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
  }
  return undefined;
}

/** User + system CPU seconds of a process so far, from /proc (undefined when it is not there). */
export function cpuSeconds(pid: number | null | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s on Linux)
  } catch {
    return undefined;
  }
}
