// Process plumbing shared by the executables in lib/cli/bin: exit codes, stderr logging, and a
// wrapper that turns a main function's result into the exit code without leaving the process hanging.
export const EXIT_OK = 0; // sent, spooled, or nothing to do
export const EXIT_FAILURE = 1; // unexpected: e.g. the broker is down and the spool is not writable
export const EXIT_USAGE = 2; // bad arguments or environment: nothing sent, nothing spooled

export interface CliIo {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves true once written, false when stdout is gone (EPIPE): never rejects. */
  stdout: (text: string) => Promise<boolean>;
  stderr: (text: string) => void;
}

export type CliMain = (io: CliIo) => Promise<number>;

/** A logger writing `name: line` to stderr. */
export function stderrLogger(name: string, io: CliIo): (line: string) => void {
  return (line) => io.stderr(`${name}: ${line}\n`);
}

/** Prints `name: problem`, the usage and any help on stderr; returns EXIT_USAGE. */
export function usageError(io: CliIo, name: string, problem: string, usage: string, ...help: string[]): number {
  io.stderr([`${name}: ${problem}`, usage, ...help].join('\n') + '\n');
  return EXIT_USAGE;
}

/**
 * Runs `main` with the real process and sets the exit code. An unexpected exception is exit 1. A
 * safety net forces the exit if something (it should not) still holds the event loop 5 s later.
 */
export function runCli(name: string, main: CliMain): void {
  const io: CliIo = {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (text) => new Promise<boolean>((resolve) => process.stdout.write(text, (error) => resolve(!error))),
    stderr: (text) => void process.stderr.write(text),
  };
  process.stdout.on('error', () => undefined); // reported through the write callbacks above
  main(io).then(
    (code) => finish(code),
    (error: unknown) => {
      io.stderr(`${name}: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      finish(EXIT_FAILURE);
    },
  );
}

function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 5_000).unref();
}
