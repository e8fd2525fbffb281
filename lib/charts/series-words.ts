// How a VM's measured series are named and drawn for customers. Pure.

type Point = { at: number; value: number | null; low?: number | null; high?: number | null };

const LOAD_LABELS: Record<string, string> = { load1: 'average over 1 minute', load5: 'average over 5 minutes', load15: 'average over 15 minutes' };

const DISK = /disk|\//i;
const LOAD = /load/i;
const TRANSFER = /transfer|traffic|^(rx|tx)|bytes/i;

/** A chart's title in plain words: "Load (average over 1 minute)" rather than "Load: load1". */
export function seriesTitle(service: string, label: string, transfer = false): string {
  if (transfer) return `${service}: ${label === 'in' ? 'received' : label === 'out' ? 'sent' : label}, per interval`;
  const load = LOAD_LABELS[label.toLowerCase()];
  if (load) return `${service} (${load})`;
  // "Disk /" already says "/".
  return label === '' || service.includes(label) ? service : `${service}: ${label}`;
}

/** A byte counter (perfdata unit "c" on a traffic check) is drawn as the data moved between points. */
export function isTransferCounter(s: { service: string; label: string; unit: string }): boolean {
  return s.unit === 'c' && (TRANSFER.test(s.service) || TRANSFER.test(s.label));
}

/**
 * A counter's points as the amount moved between consecutive points (at the later one). A drop (the
 * counter restarted at a reboot, or wrapped) and a gap give no point rather than a negative or a guess.
 */
export function counterDeltas<P extends Point>(points: readonly P[]): Array<{ at: number; value: number | null; low: null; high: null }> {
  const out: Array<{ at: number; value: number | null; low: null; high: null }> = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!.value;
    const b = points[i]!.value;
    out.push({ at: points[i]!.at, value: a === null || b === null || b < a ? null : b - a, low: null, high: null });
  }
  return out;
}

/** The charts section's heading, naming what is there: "Disk, load and transfer", "Disk and load", "Measurements". */
export function chartsHeading(series: ReadonlyArray<{ service: string; label: string; unit: string }>): string {
  const kinds: string[] = [];
  const has = (re: RegExp) => series.some((s) => re.test(s.service) || re.test(s.label));
  if (has(DISK)) kinds.push('disk');
  if (has(LOAD)) kinds.push('load');
  if (series.some(isTransferCounter)) kinds.push('transfer');
  const other = series.some((s) => !DISK.test(s.service) && !DISK.test(s.label) && !LOAD.test(s.service) && !LOAD.test(s.label) && !isTransferCounter(s));
  if (other) kinds.push('other measurements');
  if (kinds.length === 0) return 'Measurements';
  const text = kinds.length === 1 ? kinds[0]! : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
