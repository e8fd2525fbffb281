import { firstValue } from '@/lib/vms/params';

// The VM page keeps three independent views in its URL: the timeline's filters and cursor, the
// availability range, the chart range. Each form or link changes its own group and keeps the others.

export type SearchParams = Record<string, string | string[] | undefined>;

export const HISTORY_KEYS = ['cursor', 'limit', 'kind', 'service', 'state', 'type', 'from', 'to'] as const;
export const AVAILABILITY_KEYS = ['afrom', 'ato', 'soft'] as const;
export const CHART_KEYS = ['chart'] as const;

function entries(params: SearchParams): Array<[string, string]> {
  return Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]));
}

/** `?…` for the current parameters with some replaced (undefined removes a key). */
export function hrefWith(pathname: string, params: SearchParams, changes: Record<string, string | string[] | undefined>): string {
  const next = new URLSearchParams();
  for (const [k, v] of entries(params)) if (!(k in changes) && v !== '') next.append(k, v);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) continue;
    for (const x of Array.isArray(v) ? v : [v]) next.append(k, x);
  }
  const q = next.toString();
  return q ? `${pathname}?${q}` : pathname;
}

/** Hidden inputs carrying every parameter except the form's own. */
export function keep(params: SearchParams, own: readonly string[]): Array<[string, string]> {
  return entries(params).filter(([k, v]) => !own.includes(k) && v !== '');
}

export function first(params: SearchParams, key: string): string {
  return firstValue(params[key]) ?? '';
}

export function all(params: SearchParams, key: string): string[] {
  const v = params[key];
  return (v === undefined ? [] : Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).filter((x) => x !== '');
}
