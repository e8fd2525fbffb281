import type { VmSupport } from '@/lib/guides/vm-support';

// Reuses the state colours: supported reads like OK, ending like WARNING, ended like CRITICAL.
const CLASS: Record<VmSupport['badge'], string> = {
  supported: 'state-OK',
  ending: 'state-WARNING',
  ended: 'state-CRITICAL',
  unknown: 'state-UNKNOWN',
};

/** Support state as text and colour (never colour alone), with the full sentence as a tooltip. */
export function ReleaseBadge({ support }: { support: Pick<VmSupport, 'badge' | 'label' | 'summary'> }) {
  return (
    <span className={`state ${CLASS[support.badge]}`} title={support.summary} data-support={support.badge}>
      {support.label}
    </span>
  );
}
