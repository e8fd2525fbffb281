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

