// Nagios plugin performance data: `'label'=value[UOM];[warn];[crit];[min];[max]`, items separated by
// whitespace (Nagios Plugin Development Guidelines). The parser never throws: a malformed item is
// skipped with an error while the other items are kept.

/**
 * A threshold range. `start: null` is -infinity (`~`), `end: null` is +infinity (`10:`).
 * Nagios alerts when the value is outside [start, end], or inside it (endpoints included) when `inside` (`@`).
 */
export interface ThresholdRange {
  /** The text as sent, e.g. `@10:20`. Not rescaled by `normalizeToBase`. */
  raw: string;
  start: number | null;
  end: number | null;
  inside: boolean;
}

export interface PerfSample {
  label: string;
  /** null for `U` (the plugin could not determine the value). */
  value: number | null;
  /** UOM as sent ('' when none). Known: s ms us % B KB MB GB TB c; anything else is kept as is. */
  unit: string;
  /** Convenience number for charts: the range's upper bound, or its start for `n:` ranges. */
  warn: number | null;
  crit: number | null;
  min: number | null;
  max: number | null;
  warnRange: ThresholdRange | null;
  critRange: ThresholdRange | null;
}

export interface PerfdataResult {
  samples: PerfSample[];
  errors: string[];
}

// Nagios says '.' is the decimal separator; plugins running under some locales print ',' instead.
// A single ',' is read as a decimal comma (so "1,5" is 1.5). Thousands separators are not supported.
const NUMBER = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?/;

/** Parse one plain number (dot or decimal comma); null when it is not exactly a finite number. */
export function parsePerfNumber(text: string): number | null {
  const m = NUMBER.exec(text);
  if (!m || m[0].length !== text.length) return null;
  const n = Number(m[0].replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/**
 * Parse a threshold range: `10` (0..10), `10:` (10..+inf), `~:10` (-inf..10), `10:20`, `@10:20` (alert
 * inside). An empty start (`:10`) means 0, as in monitoring-plugins. Returns null when malformed or
 * when start > end.
 */
export function parseThresholdRange(raw: string): ThresholdRange | null {
  const inside = raw.startsWith('@');
  const body = inside ? raw.slice(1) : raw;
  if (body === '') return null;
  const colon = body.indexOf(':');
  let start: number | null;
  let end: number | null;
  if (colon === -1) {
    start = 0;
    end = parsePerfNumber(body);
    if (end === null) return null;
  } else {
    const startText = body.slice(0, colon);
    const endText = body.slice(colon + 1);
    if (startText === '~') start = null;
    else if (startText === '') start = 0;
    else {
      start = parsePerfNumber(startText);
      if (start === null) return null;
    }
    if (endText === '') end = null;
    else {
      end = parsePerfNumber(endText);
      if (end === null) return null;
    }
  }
  if (start !== null && end !== null && start > end) return null;
  return { raw, start, end, inside };
}

/** Whether `value` triggers this threshold, with Nagios semantics (endpoints never alert unless `@`). */
export function thresholdAlerts(range: ThresholdRange, value: number): boolean {
  const withinStart = range.start === null || value >= range.start;
  const withinEnd = range.end === null || value <= range.end;
  const within = withinStart && withinEnd;
  return range.inside ? within : !within;
}

function thresholdNumber(range: ThresholdRange | null): number | null {
  if (range === null) return null;
  return range.end ?? range.start;
}

function quote(item: string): string {
  const short = item.length > 60 ? `${item.slice(0, 57)}...` : item;
  return JSON.stringify(short);
}

/** Plugins sometimes repeat the UOM on thresholds/min/max (`80%`); tolerate exactly the value's UOM. */
function stripUnit(part: string, unit: string): string {
  return unit !== '' && part.endsWith(unit) && part.length > unit.length ? part.slice(0, -unit.length) : part;
}

const WHITESPACE = /\s/;

/** WHITESPACE.test(s[i]), without a regex for ASCII (the hot case: every character of every perfdata). */
function isSpaceAt(s: string, i: number): boolean {
  const code = s.charCodeAt(i);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return WHITESPACE.test(s[i]!);
}

function skipToWhitespace(s: string, from: number): number {
  let j = from;
  while (j < s.length && !isSpaceAt(s, j)) j++;
  return j;
}

/** Parse a whole perfdata string. Never throws; `errors` holds one line per problem. */
export function parsePerfdata(input: string): PerfdataResult {
  const samples: PerfSample[] = [];
  const errors: string[] = [];
  if (typeof input !== 'string') return { samples, errors: ['perfdata is not a string'] };
  const s = input;
  const n = s.length;
  let i = 0;

  while (i < n) {
    while (i < n && isSpaceAt(s, i)) i++;
    if (i >= n) break;
    const itemStart = i;

    // Label: quoted ('' is an escaped quote, spaces allowed) or bare (up to '=', no spaces).
    let label = '';
    if (s[i] === "'") {
      i++;
      let closed = false;
      while (i < n) {
        const c = s[i];
        if (c === "'") {
          if (s[i + 1] === "'") {
            label += "'";
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        label += c;
        i++;
      }
      if (!closed) {
        i = skipToWhitespace(s, itemStart);
        errors.push(`${quote(s.slice(itemStart, i))}: unterminated quote in label`);
        continue;
      }
      if (s[i] !== '=') {
        i = skipToWhitespace(s, i);
        errors.push(`${quote(s.slice(itemStart, i))}: expected "=" after the quoted label`);
        continue;
      }
    } else {
      while (i < n && s[i] !== '=' && !isSpaceAt(s, i)) i++;
      label = s.slice(itemStart, i);
      if (s[i] !== '=') {
        errors.push(`${quote(s.slice(itemStart, i))}: expected label=value (labels with spaces must be quoted)`);
        continue;
      }
    }
    i++; // '='
    const valueStart = i;
    i = skipToWhitespace(s, i);
    const item = s.slice(itemStart, i);
    const spec = s.slice(valueStart, i);

    if (label === '') {
      errors.push(`${quote(item)}: empty label`);
      continue;
    }
    const sample = parseItem(label, spec, item, errors);
    if (sample) samples.push(sample);
  }
  return { samples, errors };
}

/** Parse `value[UOM];warn;crit;min;max` for one label. A bad value drops the item; a bad threshold,
 *  min or max only blanks that field (with an error), so the measured value is not lost. */
function parseItem(label: string, spec: string, item: string, errors: string[]): PerfSample | null {
  const [valuePart = '', warnPart = '', critPart = '', minPart = '', maxPart = '', ...rest] = spec.split(';');

  let value: number | null;
  let unit: string;
  if (valuePart === 'U') {
    value = null;
    unit = '';
  } else {
    const m = NUMBER.exec(valuePart);
    unit = m ? valuePart.slice(m[0].length) : '';
    value = m ? Number(m[0].replace(',', '.')) : null;
    if (!m || !Number.isFinite(value) || /^[\d.,+-]/.test(unit)) {
      errors.push(`${quote(item)}: value ${JSON.stringify(valuePart)} is not a number or U`);
      return null;
    }
  }

  const warnRange = rangeField(warnPart, 'warn', unit, item, errors);
  const critRange = rangeField(critPart, 'crit', unit, item, errors);
  const min = numberField(minPart, 'min', unit, item, errors);
  const max = numberField(maxPart, 'max', unit, item, errors);
  if (rest.some((p) => p !== '')) errors.push(`${quote(item)}: fields after max ignored`);

  return {
    label,
    value,
    unit,
    warn: thresholdNumber(warnRange),
    crit: thresholdNumber(critRange),
    min,
    max,
    warnRange,
    critRange,
  };
}

/** A threshold field of an item, or null when empty or invalid (then with an error). */
function rangeField(part: string, name: string, unit: string, item: string, errors: string[]): ThresholdRange | null {
  if (part === '') return null;
  const r = parseThresholdRange(stripUnit(part, unit));
  if (r === null) errors.push(`${quote(item)}: ${name} ${JSON.stringify(part)} is not a valid range (ignored)`);
  return r === null ? null : { ...r, raw: part };
}

/** The min or max field of an item, or null when empty or not a number (then with an error). */
function numberField(part: string, name: string, unit: string, item: string, errors: string[]): number | null {
  if (part === '') return null;
  const v = parsePerfNumber(stripUnit(part, unit));
  if (v === null) errors.push(`${quote(item)}: ${name} ${JSON.stringify(part)} is not a number (ignored)`);
  return v;
}

// Bytes use 1024 steps, as check_disk does (its MB is 1024*1024 bytes) and as the other
// monitoring-plugins do; KiB-style names mean the same. Lower-case `b` (bits?) is left alone.
const BYTE_FACTORS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  kB: 1024,
  KiB: 1024,
  MB: 1024 ** 2,
  MiB: 1024 ** 2,
  GB: 1024 ** 3,
  GiB: 1024 ** 3,
  TB: 1024 ** 4,
  TiB: 1024 ** 4,
  PB: 1024 ** 5,
  PiB: 1024 ** 5,
};
// Time divisors to seconds (division keeps 1500ms exactly 1.5s).
const TIME_DIVISORS: Readonly<Record<string, number>> = { s: 1, ms: 1000, us: 1_000_000, 'µs': 1_000_000 };

/** The base unit a UOM converts to, or null when it has none (%, c, '', unknown units). */
export function baseUnitOf(unit: string): 'B' | 's' | null {
  if (Object.hasOwn(BYTE_FACTORS, unit)) return 'B';
  if (Object.hasOwn(TIME_DIVISORS, unit)) return 's';
  return null;
}

/**
 * The sample in base units (bytes or seconds) so series from plugins with different UOMs can be charted
 * and forecast together. Scales value, warn, crit, min, max and range bounds; `raw` keeps the original
 * text. Samples with other units are returned unchanged.
 */
export function normalizeToBase(sample: PerfSample): PerfSample {
  let convert: (v: number) => number;
  let unit: string;
  const byteFactor = BYTE_FACTORS[sample.unit];
  const timeDivisor = TIME_DIVISORS[sample.unit];
  if (Object.hasOwn(BYTE_FACTORS, sample.unit) && byteFactor !== undefined) {
    convert = (v) => v * byteFactor;
    unit = 'B';
  } else if (Object.hasOwn(TIME_DIVISORS, sample.unit) && timeDivisor !== undefined) {
    convert = (v) => v / timeDivisor;
    unit = 's';
  } else {
    return sample;
  }
  const c = (v: number | null) => (v === null ? null : convert(v));
  const r = (range: ThresholdRange | null): ThresholdRange | null =>
    range === null ? null : { ...range, start: c(range.start), end: c(range.end) };
  return {
    ...sample,
    unit,
    value: c(sample.value),
    warn: c(sample.warn),
    crit: c(sample.crit),
    min: c(sample.min),
    max: c(sample.max),
    warnRange: r(sample.warnRange),
    critRange: r(sample.critRange),
  };
}
