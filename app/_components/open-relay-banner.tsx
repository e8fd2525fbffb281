import Link from 'next/link';
import type { StoredRelayCheck } from '@/lib/db/queries/mx-relay';
import { LocalTime } from './local-time';

/** The loud failure of the relay check: shown at the top of /admin and /admin/mx while any host is open. */
export function OpenRelayBanner({ checks, link = true }: { checks: readonly StoredRelayCheck[]; link?: boolean }) {
  if (checks.length === 0) return null;
  return (
    <div className="error relay-alarm" role="alert" aria-label="Open relay">
      <p>
        <strong>OPEN RELAY:</strong> {checks.map((c) => c.mxHost).join(', ')} {checks.length === 1 ? 'accepts' : 'accept'} mail
        for domains {checks.length === 1 ? 'it' : 'they'} must refuse. Anyone can send spam through{' '}
        {checks.length === 1 ? 'it' : 'them'}: fix main.cf now, then run the relay check again.
      </p>
      <ul>
        {checks.map((c) => (
          <li key={c.id}>
            {c.mxHost}: {c.result?.summary ?? 'open relay'} (checked <LocalTime at={c.checkedAt} /> by {c.triggeredBy})
          </li>
        ))}
      </ul>
      {link && (
        <p>
          <Link href="/admin/mx#relay-check">See the server&apos;s replies</Link>
        </p>
      )}
    </div>
  );
}
