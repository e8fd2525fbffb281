// The room rules of README's "Project tree", checked by reading every import (TypeScript's own
// pre-processor, so `import type`, re-exports and dynamic imports all count). A rule names a room, what it
// may not reach, and whether the reach is direct or through any chain of project files.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE = /\.(ts|tsx|mjs)$/;
const TEST = /\.(test|int\.test|spec|e2e\.spec|api\.spec)\.tsx?$|\.d\.mts$/;
const SKIP_DIRS = new Set(['node_modules', '.next', 'dist', '.data', '__golden__', 'drizzle']);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (SKIP_DIRS.has(name) || name.startsWith('.next')) return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return SOURCE.test(name) && !TEST.test(name) ? [rel] : [];
  });
}

const FILES = [...sourceFiles('lib'), ...sourceFiles('app'), ...sourceFiles('scripts'), 'proxy.ts', 'server.mjs', 'instrumentation.ts'];
const KNOWN = new Set(FILES);

/** A project file for a specifier that points into the project, else the package name (`next/headers` → `next`). */
function resolve(from: string, specifier: string): string {
  let base: string | null = null;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  if (base === null) {
    if (specifier.startsWith('node:')) return specifier;
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  }
  const stem = base.replace(/\.(js|mjs|ts|tsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mjs`, `${stem}/index.ts`]) if (KNOWN.has(candidate)) return candidate;
  return base; // a test-only or generated file: kept by name so a rule can still see it
}

const IMPORTS = new Map<string, string[]>(
  FILES.map((file) => {
    const info = ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true);
    return [file, [...new Set(info.importedFiles.map((f) => resolve(file, f.fileName)))]];
  }),
);

/** Every project file and package reachable from `file`, each with one chain that reaches it. */
function reach(file: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[file, [file]]]);
  const queue = [file];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const target of IMPORTS.get(current) ?? []) {
      if (chains.has(target)) continue;
      chains.set(target, [...chains.get(current)!, target]);
      if (IMPORTS.has(target)) queue.push(target);
    }
  }
  chains.delete(file);
  return chains;
}

type Matcher = (target: string) => boolean;
const under = (...rooms: string[]): Matcher => (t) => rooms.some((room) => t === room || t.startsWith(`${room}/`));
const pkg = (...names: string[]): Matcher => (t) => names.includes(t);
const anyOf = (...ms: Matcher[]): Matcher => (t) => ms.some((m) => m(t));

const DATABASE = anyOf(under('lib/db'), pkg('drizzle-orm', 'mysql2'));
// node:net is not on the list: its isIP is pure and the guides use it.
const NETWORK = anyOf(under('lib/net', 'lib/stomp'), pkg('node:dns', 'node:tls', 'node:http', 'node:https', 'ldapts', '@stomp/stompjs', '@stomp/tcp-wrapper'));
const NEXT = pkg('next', 'next-auth', 'react', 'react-dom', 'server-only');
const ENTRY_POINTS = (prefix: string) => FILES.filter((f) => f.startsWith(prefix));

interface Rule {
  says: string;
  files: string[];
  forbidden: Matcher;
  /** Through any chain of project files (true), or the file's own imports only (false). */
  transitive: boolean;
}

const RULES: Rule[] = [
  {
    says: 'the Nagios-side commands (lib/cli) reach no database, auth, Next or zod code: they are forked for every event',
    files: ENTRY_POINTS('lib/cli/'),
    forbidden: anyOf(DATABASE, under('lib/auth', 'app'), NEXT, pkg('zod')),
    transitive: true,
  },
  {
    says: 'the monitoring domain (lib/monitoring) is pure: no database, network or Next',
    files: ENTRY_POINTS('lib/monitoring/'),
    forbidden: anyOf(DATABASE, NETWORK, NEXT),
    transitive: true,
  },
  {
    says: 'the guide generators (lib/guides) are pure: data in, text out',
    files: ENTRY_POINTS('lib/guides/'),
    forbidden: anyOf(DATABASE, NETWORK, NEXT, pkg('node:child_process')),
    transitive: true,
  },
  {
    says: 'network checks (lib/net) reach no database, auth or Next: callers say what to check and store the result',
    files: ENTRY_POINTS('lib/net/'),
    forbidden: anyOf(DATABASE, under('lib/auth', 'app'), NEXT),
    transitive: true,
  },
  {
    says: 'the alert rules (lib/alerts) are pure: rules and events in, decisions and text out',
    files: ENTRY_POINTS('lib/alerts/'),
    forbidden: anyOf(DATABASE, NETWORK, NEXT),
    transitive: true,
  },
  {
    says: 'the notifier worker (lib/notify/main.ts) reaches nothing of app/, Next or the auth room',
    files: ['lib/notify/main.ts'],
    forbidden: anyOf(under('app', 'lib/auth'), NEXT),
    transitive: true,
  },
  {
    says: 'the ingester (lib/ingest) reaches nothing of app/, Next or the auth room',
    files: ENTRY_POINTS('lib/ingest/'),
    forbidden: anyOf(under('app', 'lib/auth'), NEXT),
    transitive: true,
  },
  {
    says: 'the query layer (lib/db) never reads who is asking: the account id is always a parameter',
    files: ENTRY_POINTS('lib/db/'),
    forbidden: anyOf(under('lib/auth', 'app'), pkg('next', 'next-auth', 'react')),
    transitive: false,
  },
  {
    says: 'SQL lives in lib/db: nothing else imports drizzle-orm or mysql2 (the scripts that build the local stack aside)',
    files: FILES.filter((f) => !f.startsWith('lib/db/') && !f.startsWith('scripts/')),
    forbidden: pkg('drizzle-orm', 'mysql2'),
    transitive: false,
  },
  {
    says: 'pages, actions and route handlers reach the database only through lib/db/queries',
    files: [...ENTRY_POINTS('app/'), 'proxy.ts'],
    forbidden: (t) => DATABASE(t) && !under('lib/db/queries', 'lib/db/index.ts')(t),
    transitive: false,
  },
  {
    says: 'processes started outside Next (ingester, notifier, CLIs, migrations, scripts) never reach server-only, which throws there',
    files: [...ENTRY_POINTS('lib/ingest/'), ...ENTRY_POINTS('lib/cli/'), ...ENTRY_POINTS('scripts/'), 'lib/notify/main.ts'],
    forbidden: pkg('server-only'),
    transitive: true,
  },
  {
    says: 'metrics and logs (lib/metrics) reach no database, auth, app or Next: processes hand them readings',
    files: ENTRY_POINTS('lib/metrics/'),
    forbidden: anyOf(DATABASE, under('lib/auth', 'app'), NEXT),
    transitive: true,
  },
];

describe('room rules', () => {
  it('reads a plausible tree', () => {
    expect(FILES.length).toBeGreaterThan(150);
    expect(IMPORTS.get('lib/cli/bin/notify-service-by-stomp.ts')?.length).toBeGreaterThan(0);
  });

  for (const rule of RULES) {
    it(rule.says, () => {
      expect(rule.files.length, 'the rule covers no file: its room moved').toBeGreaterThan(0);
      const broken = new Map<string, string[]>();
      for (const file of rule.files) {
        const targets = rule.transitive ? reach(file) : new Map((IMPORTS.get(file) ?? []).map((t) => [t, [file, t]]));
        for (const [target, chain] of targets) if (rule.forbidden(target)) broken.set(file, [...(broken.get(file) ?? []), chain.join(' → ')]);
      }
      expect([...broken.values()].flat(), 'breaks the rule').toEqual([]);
    });
  }

  it('lib has no import cycle', () => {
    const cycles = new Set<string>();
    for (const file of FILES.filter((f) => f.startsWith('lib/'))) {
      for (const target of IMPORTS.get(file) ?? []) {
        const back = target.startsWith('lib/') ? reach(target).get(file) : undefined;
        if (back) cycles.add([file, ...back].join(' → '));
      }
    }
    expect([...cycles]).toEqual([]);
  });
});
