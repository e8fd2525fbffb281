'use client';

import { useActionState } from 'react';
import { type MaintenanceState, endMaintenanceAction, planMaintenanceAction } from './actions';

const DURATIONS: Array<[string, string]> = [
  ['30', '30 minutes'],
  ['60', '1 hour'],
  ['120', '2 hours'],
  ['240', '4 hours'],
  ['480', '8 hours'],
  ['1440', '1 day'],
  ['', 'until the end time below'],
];

function Outcome({ state }: { state: MaintenanceState }) {
  if (state.problems?.length)
    return (
      <div className="error" role="alert">
        <p>Nothing was changed:</p>
        <ul>
          {state.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </div>
    );
  return state.ok ? (
    <p role="status" className="muted">
      {state.ok}
    </p>
  ) : null;
}

/** Plain POST forms: they work before (and without) JavaScript. */
export function MaintenanceForm({ vmId, timeZoneLabel }: { vmId: number; timeZoneLabel: string }) {
  const [state, action, pending] = useActionState<MaintenanceState, FormData>(planMaintenanceAction, {});
  return (
    <form action={action} className="filters" aria-label="Plan maintenance">
      <input type="hidden" name="vmId" value={vmId} />
      <label>
        Pause alerts for
        <select name="minutes" defaultValue="60">
          {DURATIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Starting (empty: now)
        <input type="datetime-local" name="startsAt" />
      </label>
      <label>
        End time
        <input type="datetime-local" name="endsAt" />
      </label>
      <label>
        Reason (optional)
        <input type="text" name="reason" maxLength={255} placeholder="Kernel upgrade" />
      </label>
      <p className="muted small">Times are in {timeZoneLabel}.</p>
      <div className="form-actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Pause alerts'}
        </button>
      </div>
      <Outcome state={state} />
    </form>
  );
}

export function EndMaintenanceButton({ vmId, windowId, label }: { vmId: number; windowId: number; label: string }) {
  const [state, action, pending] = useActionState<MaintenanceState, FormData>(endMaintenanceAction, {});
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="vmId" value={vmId} />
      <input type="hidden" name="windowId" value={windowId} />
      <button type="submit" className="secondary" disabled={pending}>
        {label}
      </button>
      <Outcome state={state} />
    </form>
  );
}
