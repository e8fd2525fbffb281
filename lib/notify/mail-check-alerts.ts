import type { Database } from '../db/connection';
import { contactsById } from '../db/queries/notifier';
import { enabledRuleDefinitions } from '../db/queries/notices';
import { ruleSchema } from '../alerts/rule';
import type { MxCheck } from '../guides/mx-backup';
import { queueNotice } from './forecasts';

// A mail domain's scheduled check (lib/mx/mail-checks.ts) as an alert trigger: the account's rules that
// ask for mail checks tell their contacts when a domain that was fine has problems, and when it is fine
// again. The round that found it was claimed by one notifier, and each change is a notice with its own key,
// so a message goes out once per (rule, contact) however many notifiers run.

export interface MailCheckChangeNews {
  accountId: number;
  domainId: number;
  domain: string;
  change: 'failing' | 'recovered';
  /** The failed checks, in the customer's words (empty when recovered). */
  problems: Array<Pick<MxCheck, 'message' | 'fix'>>;
  checkedAt: Date;
}

/** The message about one change, in plain words with the next step. */
export function mailCheckWords(news: Pick<MailCheckChangeNews, 'domain' | 'change' | 'problems'>, url: string): { subject: string; text: string } {
  if (news.change === 'recovered') {
    return {
      subject: `${news.domain}: the mail set-up is fine again`,
      text: `The regular check of ${news.domain} found no problems any more: our backup mail servers will take its mail when yours are away.\n\n${url}`,
    };
  }
  const lines = news.problems.map((p) => `- ${p.message}${p.fix ? ` What to do: ${p.fix}` : ''}`);
  return {
    subject: `${news.domain}: the mail set-up has a problem`,
    text: `The regular check of ${news.domain} found ${news.problems.length === 1 ? 'a problem' : 'problems'}, so our backup mail servers may not take its mail when yours are away:\n${lines.join('\n')}\n\nThe check, and how to run it again: ${url}`,
  };
}

/** Queues the messages about one change; returns how many were queued now (suppressed ones not counted). */
export async function notifyMailCheckChange(db: Database, portalUrl: string, news: MailCheckChangeNews, now = new Date()): Promise<number> {
  const targets: Array<{ ruleId: number; ruleName: string; contactId: number }> = [];
  for (const r of await enabledRuleDefinitions(db, news.accountId)) {
    const parsed = ruleSchema.safeParse(r.definition);
    if (!parsed.success || !parsed.data.mailChecks) continue;
    for (const contactId of parsed.data.contactIds) targets.push({ ruleId: r.id, ruleName: parsed.data.name, contactId });
  }
  if (targets.length === 0) return 0;
  const contacts = await contactsById(db.$client, [...new Set(targets.map((t) => t.contactId))]);
  const url = `${portalUrl.replace(/\/$/, '')}/mail`;
  const { subject, text } = mailCheckWords(news, url);
  const queued = await queueNotice(
    db,
    {
      accountId: news.accountId,
      vmId: 0,
      kind: 'mail',
      key: `mail:${news.domainId}:${news.change}:${news.checkedAt.toISOString()}`,
      service: `mail: ${news.domain}`,
      subject,
      text,
      url,
    },
    targets,
    contacts,
    { now },
  );
  return queued ?? 0;
}
