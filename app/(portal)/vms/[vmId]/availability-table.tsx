import { type SlaDefinition, describeSlaDefinition } from '@/lib/monitoring/sla';
import type { SubjectAvailability } from '@/lib/vms/availability';
import { availabilityRow } from '@/lib/vms/live-view';
import type { AvailabilityWindow } from '@/lib/vms/page-data';
import { LiveAvailability } from './live-parts';

/**
 * Availability per host and service, one column per period, with the definition of the figure: worded
 * here (lib/vms/live-view.ts), drawn by LiveAvailability, which also shows the live stream's changes.
 */
export function AvailabilityTable({ windows, rows, sla }: { windows: AvailabilityWindow[]; rows: SubjectAvailability[]; sla: SlaDefinition }) {
  return (
    <>
      <LiveAvailability labels={windows.map((w) => w.label)} rows={rows.map((r) => availabilityRow(r, sla))} />
      <p className="small" id="sla-definition" data-testid="sla-definition">
        {describeSlaDefinition(sla)}
      </p>
    </>
  );
}
