import Link from 'next/link';
import type { PlanLimits } from '@/lib/plans/recommend';
import type { Attention } from '@/lib/plans/vm-forecast';

/** A disk filling or a quota running out, in plain words, with the one next step: the plan that holds it. */
export function UsageAttention({
  vmId,
  hostname,
  attention,
  recommended,
}: {
  vmId: number;
  hostname?: string;
  attention: Attention[];
  recommended: PlanLimits | null;
}) {
  if (attention.length === 0) return null;
  const critical = attention.some((a) => a.severity === 'critical');
  return (
    <div className={critical ? 'error' : 'notice'} role={critical ? 'alert' : 'status'} data-testid="usage-attention" style={{ marginBottom: '1rem' }}>
      {hostname ? <strong>{hostname}: </strong> : null}
      {attention.map((a) => (
        <p key={a.kind + a.message} style={{ margin: '.25rem 0' }}>
          {a.message}
        </p>
      ))}
      <p style={{ margin: '.25rem 0 0' }}>
        {recommended ? (
          <>
            <Link prefetch={false} href={`/vms/${vmId}/plan/confirm?planId=${recommended.id}`}>Upgrade to {recommended.name}</Link>, the smallest plan that holds this, or{' '}
            <Link href={`/vms/${vmId}/plan`}>compare plans</Link>.
          </>
        ) : (
          <>
            <Link href={`/vms/${vmId}/plan`}>See this VM&apos;s plan and usage</Link>; if no plan is large enough, please contact support.
          </>
        )}
      </p>
    </div>
  );
}
