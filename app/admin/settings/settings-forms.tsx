'use client';

import { useActionState } from 'react';
import {
  type SettingsFormState,
  type SimpleState,
  importReleases,
  resetSetting,
  saveSettings,
  restoreShippedReleases,
  saveSla,
  saveSupport,
  type SupportFormState,
} from './actions';

export interface SettingField {
  key: 'mirrorUrl' | 'mirrorSeries' | 'monitorIps' | 'mxHosts' | 'mxPermitNetworks' | 'dnsServers';
  label: string;
  help: string;
  env: string;
  value: string;
  source: 'env' | 'staff';
}

function Status({ state }: { state: SimpleState }) {
  return (
    <>
      {state.error && <p className="error" role="alert">{state.error}</p>}
      {state.ok && <p className="notice" role="status">{state.ok}</p>}
    </>
  );
}

export function SettingsForm({ fields }: { fields: SettingField[] }) {
  const [state, action, pending] = useActionState<SettingsFormState, FormData>(saveSettings, {});
  return (
    <form action={action} className="stack" noValidate>
      <Status state={state} />
      {fields.map((f) => {
        const error = state.fieldErrors?.[f.key];
        return (
          <label key={f.key}>
            {f.label}
            <input
              name={f.key}
              defaultValue={state.submitted?.[f.key] ?? f.value}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${f.key}-help`}
            />
            <span id={`${f.key}-help`} className="small muted" style={{ fontWeight: 400 }}>
              {f.help} Default from <code>{f.env}</code>; {f.source === 'staff' ? 'overridden here.' : 'not overridden.'}
            </span>
            {error && <span className="error">{error}</span>}
          </label>
        );
      })}
      <div className="form-actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

export function ResetButton({ settingKey, label }: { settingKey: string; label: string }) {
  const [state, action, pending] = useActionState<SimpleState, FormData>(resetSetting, {});
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="key" value={settingKey} />
      <button type="submit" className="secondary" disabled={pending}>
        Reset {label} to the default
      </button>
      <Status state={state} />
    </form>
  );
}

export function ImportForm({ systemPath, systemAvailable, imported }: { systemPath: string; systemAvailable: boolean; imported: boolean }) {
  const [state, action, pending] = useActionState<SimpleState, FormData>(importReleases, {});
  const [clearState, clear, clearing] = useActionState<SimpleState, FormData>(restoreShippedReleases, {});
  return (
    <>
      <form action={action} className="stack">
        <Status state={state} />
        {systemAvailable && (
          <div className="form-actions">
            <button type="submit" name="source" value="system" disabled={pending}>
              Import {systemPath}
            </button>
          </div>
        )}
        <label>
          Or upload an ubuntu.csv
          <input type="file" name="file" accept=".csv,text/csv,text/plain" />
        </label>
        <div className="form-actions">
          <button type="submit" name="source" value="upload" disabled={pending}>
            {pending ? 'Importing…' : 'Import uploaded file'}
          </button>
        </div>
      </form>
      {imported && (
        <form action={clear} className="inline-form">
          <button type="submit" className="secondary" disabled={clearing}>
            Use the shipped table again
          </button>
          <Status state={clearState} />
        </form>
      )}
    </>
  );
}

/** Which states count as down and whether a warning counts as available (lib/monitoring/sla.ts). */
export function SlaForm({ unknownIsDown, warningIsUp }: { unknownIsDown: boolean; warningIsUp: boolean }) {
  const [state, action, pending] = useActionState<SimpleState, FormData>(saveSla, {});
  return (
    <form action={action} className="stack">
      <Status state={state} />
      <fieldset>
        <legend>States that count as down</legend>
        <label className="choice">
          <input type="radio" name="down" value="critical" defaultChecked={!unknownIsDown} />
          Critical (services) and Down (hosts) only; Unknown and Unreachable are not counted
        </label>
        <label className="choice">
          <input type="radio" name="down" value="critical-unknown" defaultChecked={unknownIsDown} />
          Also Unknown (services) and Unreachable (hosts)
        </label>
      </fieldset>
      <fieldset>
        <legend>A warning</legend>
        <label className="choice">
          <input type="radio" name="warning" value="up" defaultChecked={warningIsUp} />
          Counts as available (degraded, not down)
        </label>
        <label className="choice">
          <input type="radio" name="warning" value="down" defaultChecked={!warningIsUp} />
          Counts as down
        </label>
      </fieldset>
      <div className="form-actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save availability definition'}
        </button>
      </div>
    </form>
  );
}

export interface SupportField {
  key: 'supportContact' | 'passwordResetUrl';
  label: string;
  help: string;
  env: string;
  value: string;
  source: 'env' | 'staff';
}

/** The support contact and the password reset page (lib/config/support.ts); empty clears one. */
export function SupportForm({ fields }: { fields: SupportField[] }) {
  const [state, action, pending] = useActionState<SupportFormState, FormData>(saveSupport, {});
  return (
    <form action={action} className="stack" noValidate aria-label="Support contact">
      <Status state={state} />
      {fields.map((f) => {
        const error = state.fieldErrors?.[f.key];
        return (
          <label key={f.key}>
            {f.label}
            <input
              name={f.key}
              defaultValue={state.submitted?.[f.key] ?? f.value}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${f.key}-help`}
            />
            <span id={`${f.key}-help`} className="small muted" style={{ fontWeight: 400 }}>
              {f.help} Default from <code>{f.env}</code>; {f.source === 'staff' ? 'set here.' : 'not set here.'}
            </span>
            {error && <span className="error">{error}</span>}
          </label>
        );
      })}
      <div className="form-actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save support settings'}
        </button>
      </div>
    </form>
  );
}
