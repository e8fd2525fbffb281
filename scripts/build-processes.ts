// `npm run build` (after `next build` and build-cli.ts): bundles each process and script production runs
// beside the web server into dist/<name>.js, so that a checkout installed with `npm ci --omit=dev` starts
// them with plain node (`npm run ingester`, `npm run db:migrate`): no tsx, no TypeScript at run time.
//
// Unlike the CLIs these run inside the checkout: packages stay external and come from its node_modules,
// and the build fails unless each one is a runtime dependency in package.json (`npm prune --omit=dev`
// keeps exactly those). CommonJS like the CLIs (dist/package.json says so), not minified: a long-running
// process's stack traces should stay readable.
import { readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { writeCommonJsMarker } from './build-cli';

const root = fileURLToPath(new URL('..', import.meta.url));

/** dist/<name>.js ← entry point. The workers to come are added here. */
export const PROCESSES = {
  ingester: 'lib/ingest/main.ts',
  notifier: 'lib/notify/main.ts',
  provisioning: 'lib/plans/main.ts',
  migrate: 'scripts/migrate.ts',
  retention: 'lib/retention/main.ts',
} as const;

export type ProcessName = keyof typeof PROCESSES;

/** Packages a process must never reach: server-only throws outside Next, and none of them is started by Next. */
const FORBIDDEN = new Set(['next', 'next-auth', 'react', 'react-dom', 'server-only']);

export interface BuildProcessesResult {
  outDir: string;
  files: Array<{ name: ProcessName; path: string; bytes: number }>;
}

export async function buildProcesses(outDir: string = join(root, 'dist')): Promise<BuildProcessesResult> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(PROCESSES).map(([name, entry]) => [name, join(root, entry)])),
    outdir: outDir,
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    keepNames: true,
    legalComments: 'none',
    banner: { js: '// Built by scripts/build-processes.ts: run it inside the checkout (node_modules, drizzle/).' },
    plugins: [sourceLocatedImportMeta(outDir)],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  checkPackages(result.metafile);
  writeCommonJsMarker(outDir);
  const files: BuildProcessesResult['files'] = [];
  for (const output of result.outputFiles) {
    writeFileSync(output.path, output.contents);
    files.push({ name: basename(output.path, '.js') as ProcessName, path: output.path, bytes: output.contents.byteLength });
  }
  return { outDir, files };
}

/**
 * CommonJS has no import.meta, and the bundle's own location is dist/, not the source file's. Project code
 * uses import.meta.url to find files beside it (lib/db/migrate.ts: ../../drizzle), so each use becomes the
 * source file's URL, computed at run time from the bundle's directory: the paths resolve as they do from source.
 */
function sourceLocatedImportMeta(outDir: string): Plugin {
  return {
    name: 'source-located-import-meta',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta')) return undefined;
        const source = `require("node:path").join(__dirname, ${JSON.stringify(relative(outDir, args.path))})`;
        const contents = text
          .replace(/\bimport\.meta\.url\b/g, `require("node:url").pathToFileURL(${source}).href`)
          .replace(/\bimport\.meta\.filename\b/g, source)
          .replace(/\bimport\.meta\.dirname\b/g, `require("node:path").dirname(${source})`);
        if (/\bimport\.meta\b/.test(contents)) {
          return { errors: [{ text: `${relative(root, args.path)} uses import.meta beyond url/filename/dirname, which a CommonJS bundle cannot keep` }] };
        }
        return { contents, loader: extname(args.path) === '.ts' || extname(args.path) === '.mts' ? 'ts' : 'js' };
      });
    },
  };
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function checkPackages(metafile: Metafile): void {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const runtime = new Set(Object.keys(manifest.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  for (const [out, info] of Object.entries(metafile.outputs)) {
    for (const { path, external } of info.imports) {
      if (!external || path.startsWith('node:') || builtins.has(path)) continue;
      const name = packageName(path);
      if (FORBIDDEN.has(name)) throw new Error(`${out} imports ${path}: a process started outside Next must not`);
      if (!runtime.has(name)) throw new Error(`${out} imports ${path}, which is not in package.json "dependencies": npm prune --omit=dev would remove it`);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildProcesses().then(
    ({ outDir, files }) => {
      for (const f of files) console.log(`${relative(process.cwd(), f.path) || f.path}  ${(f.bytes / 1024).toFixed(1)} KiB`);
      console.log(`built ${files.length} processes in ${relative(process.cwd(), outDir) || outDir}`);
    },
    (error: Error) => {
      console.error(`build:processes failed: ${error.message}`);
      process.exit(1);
    },
  );
}
