// Wording of availability figures for people. Pure.

/**
 * An up-time share, rounded down: 99.998% reads "99.99%", so any down time at all shows as less than
 * 100% (an SLA figure must never round a problem away).
 */
export function formatUpPercent(pct: number | null): string {
  if (pct === null) return 'no data';
  if (pct >= 100) return '100%';
  const floored = Math.floor(pct * 100) / 100;
  return `${floored.toFixed(2)}%`;
}

/** A share of a problem or of no data, rounded up so that a short outage never reads 0%. */
export function formatSharePercent(pct: number | null): string {
  if (pct === null) return '–';
  if (pct <= 0) return '0%';
  if (pct < 0.01) return '<0.01%';
  const ceiled = Math.ceil(pct * 100) / 100;
  return `${ceiled >= 100 ? 100 : ceiled.toFixed(2)}%`;
}

/** A length of time in its two largest units: "3 d 4 h", "12 min 5 s", "45 s". */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const units: Array<[number, string]> = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first === -1) return '0 s';
  return units
    .slice(first, first + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, u]) => `${n} ${u}`)
    .join(' ');
}
