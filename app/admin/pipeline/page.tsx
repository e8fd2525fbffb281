import type { Metadata } from 'next';
import { LocalTime } from '@/app/_components/local-time';
import { listDeadLetters, pipelineStatus } from '@/lib/db/queries/pipeline';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { DeadLetterActions } from './dead-letter-actions';
import { NagiosText } from '@/app/_components/nagios-text';
import { shortened } from '@/lib/monitoring/visible-text';

export const metadata: Metadata = { title: 'Pipeline' };

export default async function PipelinePage() {
  await requireStaff();
  const db = getDb();
  const [status, letters] = await Promise.all([pipelineStatus(db), listDeadLetters(db)]);
  return (
    <>
      <h1>Event pipeline</h1>
      <div className="panel">
        <dl className="facts">
          <dt>Last event stored</dt>
          <dd>{status.lastEventAt ? <LocalTime at={status.lastEventAt} /> : 'None yet'}</dd>
          <dt>Events in the last minute</dt>
          <dd>{status.eventsLastMinute}</dd>
          <dt>Dead letters waiting</dt>
          <dd>{status.deadLetters}</dd>
        </dl>
      </div>
      <h2>Ingesters</h2>
      {status.ingesters.length === 0 ? (
        <p className="error">No ingester has reported. Start one with `npm run ingester`.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Ingesters and their last heartbeat</caption>
            <thead>
              <tr><th scope="col">Instance</th><th scope="col">Broker</th><th scope="col">Destination</th><th scope="col">Messages</th><th scope="col">Last report</th><th scope="col">Last error</th></tr>
            </thead>
            <tbody>
              {status.ingesters.map((i) => (
                <tr key={i.instance}>
                  <td>{i.instance}</td>
                  <td><span className={`state state-${i.connected ? 'OK' : 'CRITICAL'}`}>{i.connected ? 'connected' : i.stale ? 'not reporting' : 'disconnected'}</span></td>
                  <td><code>{i.destination}</code></td>
                  <td>{i.messagesTotal}</td>
                  <td><LocalTime at={i.updatedAt} /></td>
                  <td>{i.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Dead letters</h2>
      <p className="muted">Messages that did not validate. Each is kept with its reason; replay it after a fix, or discard it.</p>
      {letters.length === 0 ? (
        <p>None waiting.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Dead letters: messages the ingester could not accept</caption>
            <thead>
              <tr><th scope="col">Received</th><th scope="col">Reason</th><th scope="col">Body</th><th scope="col">Action</th></tr>
            </thead>
            <tbody>
              {letters.map((d) => (
                <tr key={d.id}>
                  <td><LocalTime at={d.receivedAt} /></td>
                  <td><NagiosText text={d.reason} /></td>
                  <td><code style={{ wordBreak: 'break-all' }}><NagiosText text={shortened(d.body, 300)} /></code></td>
                  <td><DeadLetterActions id={d.id} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
