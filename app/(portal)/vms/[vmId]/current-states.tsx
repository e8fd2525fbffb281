import type { ServiceStateDetail } from '@/lib/db/queries/vms';
import { stateRow } from '@/lib/vms/live-view';
import { LiveStates } from './live-parts';

/**
 * The host and every service as they are now: the state and when it began (service_states.state_since),
 * apart from when the last check result came in (last_check_at: every result, also unchanged ones, moves
 * it), and the plugin output. Drawn by LiveStates from compact rows, with the live stream's changes.
 */
export function CurrentStates({ states, now, timeZone }: { states: ServiceStateDetail[]; now: Date; timeZone: string }) {
  if (states.length === 0) {
    return <p className="muted">No check has reported on this VM yet. States appear here with the first result from monitoring.</p>;
  }
  return <LiveStates rows={states.map((s) => stateRow(s, timeZone))} serverNow={now.getTime()} />;
}
