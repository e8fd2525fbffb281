// Getting messages to the broker without ever losing one at the source (DESIGN.md, "The Nagios-side
// commands"): connect with a short timeout, send what is spooled first (oldest first), then the new
// batch, each confirmed by a broker receipt; whatever is not confirmed ends up in the spool.
import type { BrokerEndpoint } from '../stomp/broker-url';
import { type Publisher, connectFirstPublisher } from '../stomp/publisher';
import { type ClaimedFile, Spool, SpoolFormatError, type SpoolEntry, type SpoolRecord } from './spool';

/** Every message: JSON, persistent (stored by the broker), confirmed by a receipt. */
export const MESSAGE_HEADERS = { 'content-type': 'application/json', persistent: 'true' } as const;

/** Messages per STOMP transaction (one broker journal sync each). */
export const TRANSACTION_SIZE = 1_000;
/** Spool files sent per round trip while flushing. */
const FILES_PER_ROUND = 64;

export type Batch = SpoolRecord;

export interface DeliverOptions {
  endpoints: readonly BrokerEndpoint[];
  spool: Spool;
  connectTimeoutMs: number;
  receiptTimeoutMs: number;
  log: (line: string) => void;
  /** How long to wait for another process that is flushing the spool before sending anyway. Default 10 s. */
  waitForOthersMs?: number;
}

export interface DeliverReport {
  /** `sent`: the new batch (if any) was confirmed; `spooled`: it is in the spool; `idle`: nothing to send or broker down with nothing new. */
  outcome: 'sent' | 'spooled' | 'idle';
  flushedFiles: number;
  flushedMessages: number;
  /** Where the new batch was spooled. */
  spooledPath?: string;
  /** Why the broker could not take everything. */
  brokerError?: string;
}

/**
 * Sends the spool and then `batch` (null: only the spool) over one connection. Resolves with what
 * happened; rejects only when a batch that needs spooling cannot be written (caller: exit 1).
 */
export async function deliver(batch: Batch | null, options: DeliverOptions): Promise<DeliverReport> {
  const { spool, log } = options;
  const report: DeliverReport = { outcome: 'idle', flushedFiles: 0, flushedMessages: 0 };
  let spooled: SpoolEntry[] = [];
  try {
    spooled = spool.list();
  } catch (error) {
    log(`cannot read the spool ${spool.dir}: ${message(error)}`);
  }
  if (batch === null && spooled.length === 0) return report;

  const toSpool = (reason: string): DeliverReport => {
    report.brokerError = reason;
    if (batch === null) return report;
    report.spooledPath = spool.write(batch);
    report.outcome = 'spooled';
    return report;
  };

  let session: Publisher;
  try {
    session = await connectFirstPublisher(options.endpoints, options);
  } catch (error) {
    return toSpool(message(error));
  }
  try {
    if (spooled.length > 0) {
      const flushed = await flushSpool(session, spool, log, options.waitForOthersMs ?? 10_000);
      report.flushedFiles = flushed.files;
      report.flushedMessages = flushed.messages;
      // Keep the order: when older events could not be sent, the new one queues up behind them.
      if (flushed.error !== undefined) return toSpool(flushed.error);
    }
    if (batch !== null) {
      try {
        await sendBodies(session, batch);
      } catch (error) {
        return toSpool(message(error));
      }
      report.outcome = 'sent';
    }
    return report;
  } finally {
    await session.close();
  }
}

/** Sends one batch in transactions of `TRANSACTION_SIZE`; resolves when every COMMIT was confirmed. */
export async function sendBodies(session: Publisher, batch: Batch): Promise<void> {
  const commits: Promise<void>[] = [];
  for (let i = 0; i < batch.bodies.length; i += TRANSACTION_SIZE) {
    const p = sendGroup(session, batch.destination, batch.bodies.slice(i, i + TRANSACTION_SIZE));
    p.catch(() => undefined); // awaited below, in order
    commits.push(p);
  }
  for (const p of commits) await p;
}

/**
 * Messages that are confirmed together: one alone is a SEND with a receipt (the usual Nagios event,
 * least work for the broker), several are one transaction.
 */
function sendGroup(session: Publisher, destination: string, bodies: string[]): Promise<void> {
  return bodies.length === 1
    ? session.send(destination, bodies[0]!, { headers: MESSAGE_HEADERS })
    : session.sendTransaction(destination, bodies, { headers: MESSAGE_HEADERS });
}

export interface FlushResult {
  files: number;
  messages: number;
  /** Set when the connection failed; the unconfirmed files are back in the spool. */
  error?: string;
}

/**
 * Sends spooled files oldest first, deleting each once the broker confirmed it. A file claimed by
 * another live process blocks the files after it (order), for at most `waitForOthersMs`.
 */
export async function flushSpool(session: Publisher, spool: Spool, log: (line: string) => void, waitForOthersMs: number): Promise<FlushResult> {
  const result: FlushResult = { files: 0, messages: 0 };
  for (const moved of spool.sweepStaleTemporaries()) log(`moved an abandoned temporary file to ${moved}`);
  const deadline = Date.now() + waitForOthersMs;

  for (;;) {
    const round: Array<{ claimed: ClaimedFile; record: SpoolRecord }> = [];
    let messages = 0;
    let blocked = false;
    let sawBad = false;
    for (const entry of spool.list()) {
      if (round.length >= FILES_PER_ROUND || messages >= TRANSACTION_SIZE) break;
      const claimed = spool.claim(entry);
      if (!claimed) {
        blocked = true;
        break;
      }
      let record: SpoolRecord;
      try {
        record = spool.read(claimed);
      } catch (error) {
        if (!(error instanceof SpoolFormatError)) {
          for (const r of [...round.map((x) => x.claimed), claimed]) spool.release(r);
          throw error;
        }
        log(`spool file ${claimed.name} is unreadable (${error.message}); moved to ${spool.quarantine(claimed)}`);
        sawBad = true;
        continue;
      }
      round.push({ claimed, record });
      messages += record.bodies.length;
    }

    if (round.length === 0) {
      if (sawBad) continue;
      if (!blocked) return result; // spool empty
      if (Date.now() >= deadline) {
        log('another process is still sending the spool; not waiting any longer');
        return result;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
      continue;
    }

    // One round: consecutive files share transactions (same destination, up to TRANSACTION_SIZE messages).
    const commits: Promise<void>[] = [];
    const lastCommit: number[] = [];
    let current: { destination: string; bodies: string[] } | null = null;
    const close = () => {
      if (current && current.bodies.length > 0) {
        const p = sendGroup(session, current.destination, current.bodies);
        p.catch(() => undefined);
        commits.push(p);
      }
      current = null;
    };
    for (const { record } of round) {
      for (const body of record.bodies) {
        if (!current || current.destination !== record.destination || current.bodies.length >= TRANSACTION_SIZE) {
          close();
          current = { destination: record.destination, bodies: [] };
        }
        current.bodies.push(body);
      }
      lastCommit.push(commits.length); // the transaction `current` becomes when closed
    }
    close();

    let confirmed = 0;
    for (let i = 0; i < round.length; i++) {
      const { claimed, record } = round[i]!;
      try {
        while (confirmed <= lastCommit[i]!) await commits[confirmed++];
      } catch (error) {
        for (const rest of round.slice(i)) spool.release(rest.claimed);
        result.error = message(error);
        return result;
      }
      spool.complete(claimed);
      result.files += 1;
      result.messages += record.bodies.length;
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
