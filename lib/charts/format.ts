// Numbers with their perfdata unit, for chart axes, labels and text alternatives. Byte values use
// 1024 steps (as check_disk does), seconds switch to ms/µs below one, counters get SI prefixes.

export interface UnitScale {
  factor: number;
  suffix: string;
}

const BYTE_STEPS: UnitScale[] = [
  { factor: 1, suffix: 'B' },
  { factor: 1024, suffix: 'KiB' },
  { factor: 1024 ** 2, suffix: 'MiB' },
  { factor: 1024 ** 3, suffix: 'GiB' },
  { factor: 1024 ** 4, suffix: 'TiB' },
  { factor: 1024 ** 5, suffix: 'PiB' },
];
const SI_STEPS: UnitScale[] = [
  { factor: 1, suffix: '' },
  { factor: 1e3, suffix: 'k' },
  { factor: 1e6, suffix: 'M' },
  { factor: 1e9, suffix: 'G' },
  { factor: 1e12, suffix: 'T' },
];
const SECOND_STEPS: UnitScale[] = [
  { factor: 1e-6, suffix: 'µs' },
  { factor: 1e-3, suffix: 'ms' },
  { factor: 1, suffix: 's' },
];

/** The display scale for values up to `magnitude` (the largest absolute value shown). */
export function unitScale(magnitude: number, unit: string): UnitScale {
  const m = Math.abs(magnitude);
  const pick = (steps: UnitScale[], base: UnitScale) => {
    let best = base;
    for (const s of steps) if (m >= s.factor) best = s;
    return best;
  };
  if (unit === 'B') return pick(BYTE_STEPS, BYTE_STEPS[0]!);
  if (unit === 's') return m === 0 ? { factor: 1, suffix: 's' } : pick(SECOND_STEPS, SECOND_STEPS[0]!);
  if (unit === 'c' || unit === '') {
    const s = pick(SI_STEPS, SI_STEPS[0]!);
    return { factor: s.factor, suffix: unit === 'c' && s.suffix === '' ? '' : s.suffix };
  }
  return { factor: 1, suffix: unit };
}

/** At most `digits` significant digits, without trailing zeros. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const decimals = Math.max(0, Math.min(6, digits - 1 - Math.floor(Math.log10(abs))));
  return value.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

export function formatWithScale(value: number, scale: UnitScale, digits = 3): string {
  const n = formatNumber(value / scale.factor, digits);
  if (scale.suffix === '') return n;
  return scale.suffix === '%' ? `${n}%` : `${n} ${scale.suffix}`;
}

/** One value with its unit, scaled on its own: "42.5 GiB", "120 ms", "0.87", "95%". */
export function formatQuantity(value: number | null, unit: string, digits = 3): string {
  if (value === null || !Number.isFinite(value)) return 'no value';
  return formatWithScale(value, unitScale(value, unit), digits);
}
