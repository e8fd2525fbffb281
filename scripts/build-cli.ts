// `npm run build:cli`: bundles each Nagios-side command (lib/cli/bin/*.ts) into one self-contained,
// executable JavaScript file in dist/bin/ (no node_modules needed), to copy onto the Nagios server:
//
//   install -m 755 dist/bin/* /usr/local/bin/      # needs Node.js >= 20 there
//
// Nagios forks one per event, so start-up time matters: CommonJS (no ESM loader), minified, only
// node: built-ins; stompcat (a subscriber) also bundles @stomp/stompjs and @stomp/tcp-wrapper, the
// publishers write their frames with lib/stomp/publisher.ts. The build fails if anything heavier
// (zod, next, database or LDAP clients, or stompjs in a publisher) sneaks into a bundle. See
// markCommonJs for dist/package.json.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export const CLI_COMMANDS = [
  'notify-service-by-stomp',
  'notify-host-by-stomp',
  'stompcat',
  'porthole-spool-flush',
  'porthole-perfdata',
  'check_porthole',
] as const;

export type CliCommand = (typeof CLI_COMMANDS)[number];

/** Packages a command bundle must never contain. */
const FORBIDDEN = /node_modules\/(zod|next|react|react-dom|drizzle-orm|mysql2|ldapts|next-auth|server-only)\//;
/** Only the subscriber needs a STOMP client library. */
const STOMP_CLIENT = /node_modules\/@stomp\//;
const NEEDS_STOMP_CLIENT: readonly string[] = ['stompcat'];

export interface BuildCliResult {
  outDir: string;
  files: Array<{ command: CliCommand; path: string; bytes: number }>;
}

export async function buildCli(outDir: string = join(root, 'dist', 'bin')): Promise<BuildCliResult> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(CLI_COMMANDS.map((c) => [c, join(root, 'lib', 'cli', 'bin', `${c}.ts`)])),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  checkInputs(result.metafile);

  mkdirSync(outDir, { recursive: true });
  markCommonJs(outDir);
  const files: BuildCliResult['files'] = [];
  for (const output of result.outputFiles) {
    const command = basename(output.path, '.js') as CliCommand;
    if (!(CLI_COMMANDS as readonly string[]).includes(command)) continue;
    const path = join(outDir, command); // no extension: it is a command
    writeFileSync(path, output.contents);
    chmodSync(path, 0o755);
    files.push({ command, path, bytes: output.contents.byteLength });
  }
  return { outDir, files };
}

/**
 * The project's package.json says "type": "module", which would make Node load the extensionless
 * bundles inside the checkout as ES modules. A `{"type":"commonjs"}` package.json next to the output
 * directory (dist/package.json) fixes that without putting anything but commands into dist/bin.
 * Copied elsewhere (/usr/local/bin) the bundles need nothing: no package.json there means CommonJS.
 */
function markCommonJs(outDir: string): void {
  const rel = relative(root, outDir);
  if (rel.startsWith('..') || isAbsolute(rel)) return; // outside the project: no "type": "module" above it
  writeCommonJsMarker(dirname(outDir));
}

/** Writes `dir/package.json` saying "type": "commonjs" (dist/ also holds the process bundles: build-processes.ts). */
export function writeCommonJsMarker(dir: string): void {
  const marker = join(dir, 'package.json');
  const content = '{ "type": "commonjs" }\n';
  if (dir.replace(/\/$/, '') === root.replace(/\/$/, '') || (existsSync(marker) && readFileSync(marker, 'utf8') !== content)) {
    throw new Error(`choose an output directory whose parent is not a package (${marker} exists)`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(marker, content);
}

function checkInputs(metafile: Metafile): void {
  for (const [out, info] of Object.entries(metafile.outputs)) {
    const stompAllowed = NEEDS_STOMP_CLIENT.includes(basename(out, '.js'));
    const bad = Object.keys(info.inputs).filter((input) => FORBIDDEN.test(input) || (!stompAllowed && STOMP_CLIENT.test(input)));
    if (bad.length > 0) throw new Error(`${out} would bundle ${bad.join(', ')}: keep lib/cli free of heavy imports`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ? join(process.cwd(), process.argv[2]) : undefined;
  buildCli(outDir).then(
    ({ outDir: dir, files }) => {
      for (const f of files) console.log(`${relative(process.cwd(), f.path) || f.path}  ${(f.bytes / 1024).toFixed(1)} KiB`);
      console.log(`built ${files.length} commands in ${relative(process.cwd(), dir) || dir}`);
    },
    (error: Error) => {
      console.error(`build:cli failed: ${error.message}`);
      process.exit(1);
    },
  );
}
