import { visibleText } from '@/lib/monitoring/visible-text';
import type { DeliveryLabels, DeliveryRecord } from '@/lib/db/queries/alerts';

// The delivery log as a table, for the customer's /alerts/log and staff's /admin/alerts: every decision
// in plain words, the receiver's answer, and the message as it was rendered.

export const STATUS_WORDS: Record<string, string> = {
  sent: 'Sent',
  failed: 'Failed',
  pending: 'Waiting to be sent',
  sending: 'Being sent',
  suppressed: 'Not sent',
  waiting: 'Waiting to see if it lasts',
  held: 'Held for quiet hours',
  grouped: 'Grouped',
  digested: 'In a digest',
};

const REASON_WORDS: Record<string, string> = {
  retrying: 'will retry',
  'gave-up': 'gave up after every retry',
  rejected: 'refused by the receiver',
  inhibited: 'the server itself was down',
  maintenance: 'maintenance window',
  'quiet-hours': 'quiet hours',
  throttled: 'hourly limit reached',
  duplicate: 'already reported',
  'not-verified': 'contact not verified',
  'recovery-not-notified': 'the problem was never reported',
  resolved: 'resolved before it was due',
  forecast: 'a forecast the rule asks about',
  notice: 'news about this VM',
};

export function DeliveryTable({
  rows,
  labels,
  messages,
  showAccount = false,
}: {
  rows: DeliveryRecord[];
  labels: DeliveryLabels;
  /** The rendered message (JSON) by delivery id. */
  messages: Map<number, string>;
  showAccount?: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="stack">
        <caption className="visually-hidden">Alert deliveries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            {showAccount && <th scope="col">Account</th>}
            <th scope="col">Rule</th>
            <th scope="col">About</th>
            <th scope="col">To</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => {
            const json = messages.get(d.id);
            const body = json ? (JSON.parse(json) as { subject?: string; text?: string }) : null;
            return (
              <tr key={d.id} data-testid="delivery">
                <td data-label="Time (UTC)">{d.at.toISOString().slice(0, 19).replace('T', ' ')}</td>
                {showAccount && <td data-label="Account">{labels.accounts.get(d.accountId) ?? `account #${d.accountId}`}</td>}
                <td data-label="Rule">{labels.rules.get(d.ruleId) ?? `rule #${d.ruleId} (deleted)`}</td>
                <td data-label="About">
                  {d.state === 'NOTICE' && d.service.startsWith('mail: ') ? (
                    <>The mail check of {visibleText(d.service.slice('mail: '.length))}</>
                  ) : d.state === 'FORECAST' || d.state === 'NOTICE' ? (
                    <>
                      {d.state === 'FORECAST' ? `Forecast for ${visibleText(d.service.replace(/^forecast: /, ''))}` : d.service === 'rebuild' ? 'The rebuild' : 'The plan change'} on{' '}
                      {visibleText(labels.vms.get(d.vmId) ?? `VM #${d.vmId}`)}
                    </>
                  ) : (
                    <>
                      {d.service ? visibleText(d.service) : 'the server'} on {visibleText(labels.vms.get(d.vmId) ?? `VM #${d.vmId}`)}: {d.state}
                    </>
                  )}
                </td>
                <td data-label="To">
                  {labels.contacts.get(d.contactId) ?? 'a removed contact'}
                  {showAccount && <div className="small muted">{d.channel}</div>}
                </td>
                <td data-label="Outcome">
                  <strong>{STATUS_WORDS[d.status] ?? d.status}</strong>
                  {d.reason !== 'sent' && d.reason !== 'send' && REASON_WORDS[d.reason] && `: ${REASON_WORDS[d.reason]}`}
                  {d.carriedBy && d.carriedBy !== d.id && ` (in message #${d.carriedBy})`}
                  {d.status === 'failed' || d.reason === 'retrying' ? <div className="small muted">Attempts: {d.attempts}</div> : null}
                  {d.response && <div className="small muted">Answer: {d.response}</div>}
                  {d.detail && d.status !== 'sent' && <div className="small muted">{d.detail}</div>}
                  {body?.text && (
                    <details>
                      <summary>The message</summary>
                      <p>
                        <strong>{body.subject}</strong>
                      </p>
                      <pre className="small">{body.text}</pre>
                    </details>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
