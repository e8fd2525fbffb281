// The customers' mail-domain DNS checks (lib/net/mx-check.ts), re-run on a schedule in the notifier
// (lib/notify/main.ts) with each result stored where the customer's "Check now" stores it, so /mail shows
// a recent verdict without anyone pressing the button. One of several notifiers claims each round
// (lib/db/queries/mail-checks.ts claimMailCheckSchedule), as with the relay check (./relay-checks.ts).
// No 'server-only': the notifier imports it.
import { hostname } from 'node:os';
import { z } from 'zod';
import { parseEnv } from '../config/parse-env';
import type { Database } from '../db/connection';
import { type ScheduledDomain, claimMailCheckSchedule, saveMailCheck, scheduledMailDomains } from '../db/queries/mail-checks';
import { loadGuideSettings } from '../db/queries/settings';
import type { MxCheckResult } from '../guides/mx-backup';
import { mxCheckerFor } from '../net/mx-check';
import { type MailCheckChangeNews, notifyMailCheckChange } from '../notify/mail-check-alerts';
import { type Repeating, repeatTries } from './repeat';

const scheduleEnvSchema = z.object({
  /** How often the scheduled mail-domain checks run; 0: never. */
  MAIL_CHECK_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(360),
});

export function mailCheckScheduleMinutes(source: NodeJS.ProcessEnv = process.env): number {
  return parseEnv(scheduleEnvSchema, source).MAIL_CHECK_INTERVAL_MINUTES;
}

/** What a new result means next to the one before: only "failing" (OK before, problems now) is news. */
export type MailCheckChange = 'first' | 'still-ok' | 'still-failing' | 'failing' | 'recovered';

export function mailCheckChange(lastOk: boolean | null, nowOk: boolean): MailCheckChange {
  if (lastOk === null) return 'first';
  if (lastOk) return nowOk ? 'still-ok' : 'failing';
  return nowOk ? 'recovered' : 'still-failing';
}

/** The log line of one domain's scheduled result: the failed checks' ids when there are problems. */
export function mailCheckLine(domain: Pick<ScheduledDomain, 'accountId' | 'domain'>, result: Pick<MxCheckResult, 'ok' | 'checks'>, change: MailCheckChange): string {
  const verdict = result.ok ? 'OK' : `PROBLEMS (${result.checks.filter((c) => !c.ok).map((c) => c.id).join(', ') || 'no check passed'})`;
  const note = change === 'failing' ? ', was OK' : change === 'recovered' ? ', was failing' : '';
  return `account ${domain.accountId} ${domain.domain}: ${verdict}${note}`;
}

export interface MailCheckRound {
  checked: number;
  stored: number;
  failed: number;
  /** Domains that were OK at their previous check and have problems now, or the other way round: the news. */
  changes: MailCheckChangeNews[];
  /** Alert messages queued about the changes (when the round was given a portal address to link to). */
  messages: number;
  lines: string[];
}

/**
 * Checks every domain once, a few at a time (each waits on DNS, up to the resolver's timeouts), and stores
 * each result. A lookup that throws is logged and skipped; the next round tries again.
 */
export async function runScheduledMailChecks(
  db: Database,
  options: { check?: (domain: string) => Promise<MxCheckResult>; accountIds?: readonly number[]; concurrency?: number } = {},
): Promise<MailCheckRound> {
  const check = options.check ?? mxCheckerFor((await loadGuideSettings(db)).values);
  const domains = await scheduledMailDomains(db, options.accountIds);
  const round: MailCheckRound = { checked: 0, stored: 0, failed: 0, changes: [], messages: 0, lines: [] };
  let next = 0;
  const worker = async () => {
    while (next < domains.length) {
      const d = domains[next++]!;
      let result: MxCheckResult;
      try {
        result = await check(d.domain);
      } catch (error) {
        round.failed++;
        round.lines.push(`account ${d.accountId} ${d.domain}: the check could not run: ${(error as Error).message}`);
        continue;
      }
      round.checked++;
      if (!(await saveMailCheck(db, d.id, result))) continue; // removed meanwhile
      round.stored++;
      const change = mailCheckChange(d.lastOk, result.ok);
      if (change === 'failing' || change === 'recovered') {
        const problems = result.checks.filter((c) => !c.ok).map(({ message, fix }) => ({ message, fix }));
        round.changes.push({ accountId: d.accountId, domainId: d.id, domain: d.domain, change, problems, checkedAt: new Date(result.checkedAt) });
      }
      round.lines.push(mailCheckLine(d, result, change));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return round;
}

/** One notifier's turn: the round when this caller claimed it, null when another one has it this interval. */
export async function claimedMailCheckRound(
  db: Database,
  options: {
    owner: string;
    intervalMs: number;
    /** Where alert messages link to; without it, changes are reported but nobody is told. */
    portalUrl?: string;
    now?: Date;
    check?: (domain: string) => Promise<MxCheckResult>;
    accountIds?: readonly number[];
  },
): Promise<MailCheckRound | null> {
  if (!(await claimMailCheckSchedule(db, options.owner, options.intervalMs, options.now))) return null;
  const round = await runScheduledMailChecks(db, { check: options.check, accountIds: options.accountIds });
  if (options.portalUrl !== undefined) {
    for (const news of round.changes) round.messages += await notifyMailCheckChange(db, options.portalUrl, news);
  }
  return round;
}

export type MailCheckSchedule = Repeating;

/** Every minute (or interval, if shorter) tries to claim the round; the one process that gets it checks every domain. */
export function startMailCheckSchedule(
  db: Database,
  options: { intervalMs: number; portalUrl: string; owner?: string; log?: (line: string) => void; check?: (domain: string) => Promise<MxCheckResult> },
): MailCheckSchedule {
  const owner = options.owner ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? ((line: string) => console.log(`[mail-check] ${line}`));
  const tick = async () => {
    try {
      const round = await claimedMailCheckRound(db, { owner, intervalMs: options.intervalMs, portalUrl: options.portalUrl, check: options.check });
      if (!round) return;
      for (const line of round.lines) log(line);
      const failing = round.changes.filter((c) => c.change === 'failing').length;
      log(`${round.stored} of ${round.checked + round.failed} domains checked and stored, ${failing} newly failing, ${round.changes.length - failing} fixed; ${round.messages} alert message(s) queued`);
    } catch (error) {
      log(`the scheduled mail-domain check failed: ${(error as Error).message}`);
    }
  };
  return repeatTries(tick, options.intervalMs);
}
