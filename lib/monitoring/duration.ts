// The one way Porthole words a length of time, on every page and in every message: "3 d 4 h",
// "12 min 5 s". Summaries show the two largest units; technical detail shows every unit down to
// the second, in the same words.

const UNITS: ReadonlyArray<[seconds: number, name: string]> = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/**
 * `seconds` (rounded, never negative) in its `precision` largest units from the first non-zero one;
 * units that are zero are left out: 90061 s is "1 d 1 h" (2) or "1 d 1 h 1 min 1 s" (4), 3600 s "1 h".
 */
export function formatDuration(seconds: number, precision = 2): string {
  let rest = Math.max(0, Math.round(Number.isFinite(seconds) ? seconds : 0));
  const amounts = UNITS.map(([size]) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return n;
  });
  const first = amounts.findIndex((n) => n > 0);
  if (first === -1) return '0 s';
  return UNITS.slice(first, first + precision)
    .map(([, name], i) => [amounts[first + i]!, name] as const)
    .filter(([n]) => n > 0)
    .map(([n, name]) => `${n} ${name}`)
    .join(' ');
}
