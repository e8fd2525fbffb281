import Link from 'next/link';
import { supportContactLink } from '@/lib/config/support';
import type { NextStep } from '@/lib/monitoring/next-step';
import { supportSettings } from '@/lib/vms/support-settings';
import { NagiosText } from './nagios-text';

/** How to reach support: the staff's contact (/admin/settings) as a link, and what to mention. */
export async function SupportContact({ hostname }: { hostname: string }) {
  const link = supportContactLink((await supportSettings()).supportContact);
  return (
    <p className="support-contact" data-testid="support-contact">
      Need help?{' '}
      {link ? (
        <>
          Contact support {link.kind === 'email' ? 'at' : 'on'} <a href={link.href}>{link.label}</a>
        </>
      ) : (
        'Contact support'
      )}{' '}
      and mention the VM&apos;s name, <NagiosText text={hostname} />.
    </p>
  );
}

/**
 * Every problem of a VM in plain words with what the customer can do (lib/monitoring/next-step.ts), and
 * how to reach support. Nothing when there is no problem.
 */
export async function NextSteps({
  steps,
  hostname,
  vmId,
  limit = 10,
  heading = 'What this means and what you can do',
}: {
  steps: NextStep[];
  hostname: string;
  /** Links the heading to the VM's page (the dashboard). */
  vmId?: number;
  limit?: number;
  heading?: string;
}) {
  if (steps.length === 0) return null;
  const shown = steps.slice(0, limit);
  const critical = steps.some((s) => s.severity === 'critical');
  return (
    <div className={`next-steps ${critical ? 'next-steps-critical' : ''}`} data-testid="next-steps">
      <p className="next-steps-title">
        <strong>
          {vmId !== undefined ? (
            <>
              <Link href={`/vms/${vmId}`}>
                <NagiosText text={hostname} />
              </Link>
              :{' '}
            </>
          ) : null}
          {heading}
        </strong>
      </p>
      <ul>
        {shown.map((s, i) => (
          <li key={`${s.subject}${i}`}>
            <strong>
              <NagiosText text={s.subject} />
            </strong>
            : {s.meaning} <span className="next-step-action">What you can do: {s.action}</span>
          </li>
        ))}
      </ul>
      {steps.length > shown.length ? (
        <p className="small muted">
          And {steps.length - shown.length} more{vmId !== undefined ? <> on <Link href={`/vms/${vmId}`}>the VM&apos;s page</Link></> : ' below, under Current state'}.
        </p>
      ) : null}
      <SupportContact hostname={hostname} />
    </div>
  );
}
