// The scheduled jobs' loop (the relay check, the mail-domain checks): try now, then every minute (or
// the interval, if shorter), one try at a time; each try claims the run itself, so of N processes one
// does the work per interval. stop() waits for a try under way.

export interface Repeating {
  stop(): Promise<void>;
}

export function repeatTries(tryOnce: () => Promise<void>, intervalMs: number): Repeating {
  let stopped = false;
  let current: Promise<void> = tryOnce();
  const timer = setInterval(
    () => {
      if (!stopped) current = current.then(tryOnce);
    },
    Math.min(intervalMs, 60_000),
  );
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
