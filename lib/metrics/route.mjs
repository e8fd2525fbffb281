// The route an HTTP request is counted and logged under: the app's own route template (`/vms/:vmId`),
// never the raw path, so ids and query strings never become label values. Plain JavaScript (server.mjs
// imports it without a loader), typed by route.d.mts. Anything no template matches is one value, so the
// number of series stays bounded whatever clients ask for.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every path Next answers that no page or route handler names. */
export const UNMATCHED = '(unmatched)';

/**
 * Route templates from app/ file paths relative to it (`(portal)/vms/[vmId]/page.tsx` → `/vms/:vmId`):
 * route groups and private folders dropped, `[x]` → `:x`, `[...x]` and `[[...x]]` → `*x`.
 */
export function routeTemplates(files) {
  const templates = new Set();
  for (const file of files) {
    const parts = file.split('/');
    const leaf = parts.pop();
    if (!/^(page|route)\.(tsx?|jsx?|mjs)$/.test(leaf ?? '')) continue;
    if (parts.some((p) => p.startsWith('_') || p.startsWith('@'))) continue;
    const segments = parts
      .filter((p) => !/^\(.*\)$/.test(p))
      .map((p) => p.replace(/^\[\[?\.\.\.(.+?)\]?\]$/, '*$1').replace(/^\[(.+)\]$/, ':$1'));
    templates.add(`/${segments.join('/')}`);
  }
  return [...templates];
}

/** Static segments before dynamic ones, catch-alls last: `/alerts/contacts` wins over `/alerts/:ruleId`. */
function rank(template) {
  const segments = template.split('/').filter(Boolean);
  const dynamic = segments.filter((s) => s.startsWith(':')).length;
  const catchAll = segments.some((s) => s.startsWith('*')) ? 1 : 0;
  return catchAll * 1000 + dynamic * 10 - segments.length / 100;
}

/** A matcher for the templates; pass it to normaliseRoute. */
export function routeMatcher(templates) {
  const compiled = [...templates]
    .sort((a, b) => rank(a) - rank(b))
    .map((template) => {
      const pattern = template
        .split('/')
        .map((s) => (s.startsWith(':') ? '[^/]+' : s.startsWith('*') ? '.+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      return { template, regex: new RegExp(`^${template === '/' ? '/' : pattern}$`) };
    });
  return (path) => compiled.find((c) => c.regex.test(path))?.template;
}

/** The label for a request target: the template it matches, Next's own assets by kind, else UNMATCHED. */
export function normaliseRoute(url, match) {
  const raw = String(url ?? '/');
  const end = raw.search(/[?#]/);
  let path = end === -1 ? raw : raw.slice(0, end);
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '') || '/';
  if (path.startsWith('/_next/static/')) return '/_next/static';
  if (path.startsWith('/_next/')) return '/_next';
  return match(path) ?? UNMATCHED;
}

/** The app's pages and route handlers, read from the app/ directory once at start-up; public/ files by name. */
export function appRouteMatcher(root) {
  const files = [];
  const walk = (dir, rel) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
      else files.push(path);
    }
  };
  walk(join(root, 'app'), '');
  const templates = routeTemplates(files);
  try {
    for (const name of readdirSync(join(root, 'public'))) templates.push(`/${name}`);
  } catch {
    // no public/ directory
  }
  return routeMatcher(templates);
}
