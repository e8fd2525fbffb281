import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { E2E_DIST_DIR } from '../scripts/test-setup/test-env';

const ROOT = path.join(import.meta.dirname, '..');

export interface ServerAction {
  id: string;
  /** The source file, relative to the project (e.g. app/admin/users/actions.ts). */
  file: string;
  name: string;
  /** URLs of the pages whose server bundle holds the action (a browser posts it to one of them). */
  pages: string[];
}

interface ManifestEntry {
  workers: Record<string, unknown>;
  filename: string;
  exportedName: string;
}

/** `next build` writes every server action's id, source file and export name here (Next 16). */
export const manifestPath = () => path.join(ROOT, E2E_DIST_DIR, 'server', 'server-reference-manifest.json');

const pageUrl = (worker: string) =>
  `/${worker
    .replace(/^app\//, '')
    .replace(/\/?page$/, '')
    .split('/')
    .filter((s) => s !== '' && !/^\(.*\)$/.test(s))
    .map((s) => (s.startsWith('[') ? '1' : s))
    .join('/')}`;

export function serverActions(): ServerAction[] {
  const file = manifestPath();
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (NEXT_DIST_DIR=${E2E_DIST_DIR} next build)`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { node: Record<string, ManifestEntry> };
  // Paths are relative to Turbopack's root: the project, unless next.config sets `turbopack.root` higher.
  const projectRelative = (filename: string) => {
    const absolute = path.resolve('/', filename);
    return absolute.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, absolute) : filename;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    file: projectRelative(entry.filename),
    name: entry.exportedName,
    pages: Object.keys(entry.workers).filter((w) => w.endsWith('/page')).map(pageUrl),
  }));
}

/** Exported async functions of every 'use server' module under `dir`, as "file#name". */
export function sourceServerActions(dir = path.join(ROOT, 'app', 'admin')): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      found.push(...sourceServerActions(full));
      continue;
    }
    if (!/\.(ts|tsx|js|jsx)$/.test(name) || /\.test\./.test(name)) continue;
    const text = readFileSync(full, 'utf8');
    if (!/^\s*(\/\/[^\n]*\n\s*)*['"]use server['"]/.test(text)) continue;
    const exported = [
      ...text.matchAll(/export\s+async\s+function\s+(\w+)/g),
      ...text.matchAll(/export\s+const\s+(\w+)\s*=\s*async\b/g),
    ].map((m) => m[1]);
    for (const fn of exported) found.push(`${path.relative(ROOT, full)}#${fn}`);
  }
  return found.sort();
}

export type ActionOutcome =
  /** The action ran to its end and returned a value. */
  | { kind: 'returned'; value: string }
  /** The action threw; `digest` is Next's (NEXT_HTTP_ERROR_FALLBACK;403, NEXT_REDIRECT;…). */
  | { kind: 'threw'; digest: string }
  /** The answer carries no action result at all (the proxy or a page refused the request first). */
  | { kind: 'none' };

export interface ActionResponse {
  status: number;
  location: string | undefined;
  actionRedirect: string | undefined;
  outcome: ActionOutcome;
  body: string;
}

/**
 * The request a browser sends for `action(previousState, formData)` (useActionState forms): React's
 * encodeReply puts the FormData's entries under the prefix "_1_" and the argument list, with the
 * FormData as the reference "$K1", in the field "0", which comes last.
 */
export function encodeActionArgs(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(`_1_${key}`, value);
  form.append('0', JSON.stringify([{}, '$K1']));
  return form;
}

/** Reads the action's result out of the RSC answer: row 0 names the row that holds it. */
export function actionOutcome(body: string): ActionOutcome {
  const rows = new Map<string, string>();
  for (const line of body.split('\n')) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  const head = /^\{"a":"\$@([0-9a-f]+)"/.exec(rows.get('0') ?? '');
  if (!head) return { kind: 'none' };
  const result = rows.get(head[1]!);
  if (result === undefined) return { kind: 'none' };
  if (result.startsWith('E')) {
    const digest = (JSON.parse(result.slice(1)) as { digest?: string }).digest ?? '';
    return { kind: 'threw', digest };
  }
  return { kind: 'returned', value: result };
}

export async function callAction(
  request: APIRequestContext,
  options: { id: string; page: string; origin: string; fields: Record<string, string>; headers?: Record<string, string> },
): Promise<ActionResponse> {
  const response = await request.post(options.page, {
    headers: { 'Next-Action': options.id, Origin: options.origin, Accept: 'text/x-component', ...options.headers },
    multipart: encodeActionArgs(options.fields),
    maxRedirects: 0,
  });
  const body = await response.text();
  return {
    status: response.status(),
    location: response.headers().location,
    actionRedirect: response.headers()['x-action-redirect'],
    outcome: actionOutcome(body),
    body,
  };
}

const toLogin = (target: string | undefined) => target !== undefined && /^(https?:\/\/[^/]+)?\/login(\?|;|$)/.test(target);

/** Why a response counts as the staff guard's refusal of an anonymous caller, or null if it does not. */
export function refusedAnonymous(r: ActionResponse): string | null {
  if (r.status >= 500) return null;
  if ([302, 303, 307].includes(r.status) && toLogin(r.location)) return 'redirect to /login (proxy)';
  if (toLogin(r.actionRedirect)) return 'action redirect to /login';
  if (r.outcome.kind === 'threw' && /^NEXT_REDIRECT;[a-z]+;\/login[;?]/.test(r.outcome.digest)) return 'guard redirect to /login';
  // Posted to a page that does not hold the action (the public /login), Next forwards it internally
  // to the page that does; the proxy turns the forwarded request away, and Next answers "{}".
  if (r.status === 200 && r.outcome.kind === 'none' && r.body === '{}') return 'forwarded, refused by the proxy';
  return null;
}

/** Why a response counts as the staff guard's refusal of a logged-in customer, or null. */
export function refusedCustomer(r: ActionResponse): string | null {
  if (r.outcome.kind === 'returned') return null;
  if (r.outcome.kind === 'threw' && r.outcome.digest === 'NEXT_HTTP_ERROR_FALLBACK;403') return 'forbidden() from the guard';
  if (r.status === 403 && r.outcome.kind === 'none') return '403 page';
  return null;
}
