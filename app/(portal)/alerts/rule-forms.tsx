'use client';

import { useActionState } from 'react';
import type { Rule } from '@/lib/alerts/rule';
import { type RuleFormState, deleteRuleAction, saveRuleAction, toggleRuleAction } from './actions';

function Status({ state }: { state: RuleFormState }) {
  return (
    <>
      {state.problems && state.problems.length > 0 && (
        <div className="error" role="alert">
          The rule was not saved:
          <ul>
            {state.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {state.ok && <p role="status">{state.ok}</p>}
    </>
  );
}

export interface FormChoices {
  vms: Array<{ id: number; name: string }>;
  services: string[];
  contacts: Array<{ id: number; label: string; verified: boolean }>;
  timeZones: string[];
}

const TRIGGER_WORDS: Array<[string, string]> = [
  ['WARNING', 'Warning'],
  ['CRITICAL', 'Critical'],
  ['UNKNOWN', 'Unknown (the check failed)'],
  ['DOWN', 'Server down'],
  ['UNREACHABLE', 'Server unreachable'],
  ['RECOVERY', 'Recovery (back to OK)'],
];
const DAYS: Array<[string, string]> = [
  ['mon', 'Mon'],
  ['tue', 'Tue'],
  ['wed', 'Wed'],
  ['thu', 'Thu'],
  ['fri', 'Fri'],
  ['sat', 'Sat'],
  ['sun', 'Sun'],
];

/** Every knob of a rule; a plain POST form (works without JavaScript through the server action). */
export function RuleForm({ choices, rule, id }: { choices: FormChoices; rule: Rule; id?: number }) {
  const [state, action, pending] = useActionState<RuleFormState, FormData>(saveRuleAction, {});
  const chosenVms = rule.vms === 'all' ? [] : rule.vms;
  const quiet = rule.quiet?.windows[0];
  return (
    <form action={action} className="rule-form" aria-label={id ? 'Edit rule' : 'New rule'}>
      {id && <input type="hidden" name="id" value={id} />}
      <label className="choice">
        Name <input name="name" required maxLength={120} defaultValue={rule.name} />
      </label>
      <fieldset>
        <legend>Which VMs</legend>
        <label className="choice">
          <input type="radio" name="vmScope" value="all" defaultChecked={rule.vms === 'all'} /> All my VMs (also new ones)
        </label>
        <label className="choice">
          <input type="radio" name="vmScope" value="chosen" defaultChecked={rule.vms !== 'all'} /> Only these:
        </label>
        {choices.vms.map((vm) => (
          <label key={vm.id} className="choice">
            <input type="checkbox" name="vmIds" value={vm.id} defaultChecked={chosenVms.includes(vm.id)} /> {vm.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>What</legend>
        <label className="choice">
          <input type="checkbox" name="hostEvents" defaultChecked={rule.hostEvents} /> The server itself (up, down, unreachable)
        </label>
        <label className="choice">
          Services
          <select name="services" defaultValue={rule.services.mode}>
            <option value="all">All services</option>
            <option value="chosen">Chosen services</option>
            <option value="pattern">Services named like…</option>
            <option value="none">No services</option>
          </select>
        </label>
        {choices.services.map((s) => (
          <label key={s} className="choice">
            <input type="checkbox" name="serviceNames" value={s} defaultChecked={rule.services.mode === 'chosen' && rule.services.names.includes(s)} /> {s}
          </label>
        ))}
        <label className="choice">
          Name pattern (* any text, ? one character)
          <input name="pattern" defaultValue={rule.services.mode === 'pattern' ? rule.services.pattern : ''} placeholder="Disk *" />
        </label>
      </fieldset>
      <fieldset>
        <legend>Tell me about</legend>
        {TRIGGER_WORDS.map(([value, words]) => (
          <label key={value} className="choice">
            <input type="checkbox" name="triggers" value={value} defaultChecked={(rule.triggers as string[]).includes(value)} /> {words}
          </label>
        ))}
        <label className="choice">
          <input type="checkbox" name="hardOnly" defaultChecked={rule.hardOnly} /> Only once monitoring has confirmed it (recommended)
        </label>
        <label className="choice">
          Only if it lasts at least <input name="forMinutes" type="number" min={0} max={1440} defaultValue={rule.forMinutes} size={5} /> minutes
        </label>
      </fieldset>
      <fieldset>
        <legend>Forecasts</legend>
        <label className="choice">
          <input type="checkbox" name="forecastDisk" defaultChecked={rule.forecast?.diskFullDays != null} /> When a disk would be full within{' '}
          <input name="forecastDiskDays" type="number" min={1} max={90} defaultValue={rule.forecast?.diskFullDays ?? 14} size={3} aria-label="Days until a disk is full" /> days at its
          current rate
        </label>
        <label className="choice">
          <input type="checkbox" name="forecastQuota" defaultChecked={rule.forecast?.quotaOut === true} /> When the month&apos;s transfer quota will run out before the
          month ends
        </label>
        <p className="muted small">At most one message a month for each disk and for the transfer quota, with the plan that would hold it.</p>
      </fieldset>
      <fieldset>
        <legend>Mail</legend>
        <label className="choice">
          <input type="checkbox" name="mailChecks" defaultChecked={rule.mailChecks} /> When the regular check of my mail domains finds a problem, and
          when it is fixed
        </label>
        <p className="muted small">Every few hours Porthole checks the mail domains on your Mail page; this is about those domains, whichever VMs the rule names.</p>
      </fieldset>
      <fieldset>
        <legend>How often</legend>
        <label className="choice">
          Remind me every <input name="repeatMinutes" type="number" min={5} max={10080} defaultValue={rule.repeatMinutes ?? ''} size={6} /> minutes while
          unresolved (empty: never)
        </label>
        <label className="choice">
          At most <input name="maxPerHour" type="number" min={1} max={1000} defaultValue={rule.maxPerHour ?? ''} size={5} /> messages an hour (empty: no limit)
        </label>
        <label className="choice">
          Group what arrives within <input name="groupMinutes" type="number" min={0} max={1440} defaultValue={rule.groupMinutes} size={5} /> minutes into one
          message
        </label>
        <label className="choice">
          Digest
          <select name="digest" defaultValue={rule.digest?.every ?? 'none'}>
            <option value="none">No digest: send as it happens</option>
            <option value="hourly">Hourly digest</option>
            <option value="daily">Daily digest at…</option>
          </select>
          <input name="digestAt" type="time" defaultValue={rule.digest?.every === 'daily' ? rule.digest.at : '08:00'} aria-label="Daily digest time" />
        </label>
      </fieldset>
      <fieldset>
        <legend>Quiet hours</legend>
        <label className="choice">
          <input type="checkbox" name="quiet" defaultChecked={rule.quiet !== null} /> Quiet from
          <input name="quietFrom" type="time" defaultValue={quiet?.from ?? '22:00'} aria-label="Quiet from" /> to
          <input name="quietTo" type="time" defaultValue={quiet?.to ?? '07:00'} aria-label="Quiet until" />
        </label>
        {DAYS.map(([value, words]) => (
          <label key={value} className="choice">
            <input type="checkbox" name="quietDays" value={value} defaultChecked={quiet ? (quiet.days as string[]).includes(value) : true} /> {words}
          </label>
        ))}
        <label className="choice">
          Inside quiet hours
          <select name="quietAction" defaultValue={rule.quiet?.action ?? 'hold'}>
            <option value="hold">hold messages until they end</option>
            <option value="drop">drop messages</option>
            <option value="urgent-only">let only critical problems and servers down through</option>
          </select>
        </label>
        <label className="choice">
          Time zone
          <select name="timeZone" defaultValue={rule.timeZone}>
            {choices.timeZones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>Detail and where</legend>
        <label className="choice">
          <input type="radio" name="detail" value="summary" defaultChecked={rule.detail === 'summary'} /> Plain words (no addresses or technical output)
        </label>
        <label className="choice">
          <input type="radio" name="detail" value="technical" defaultChecked={rule.detail === 'technical'} /> Technical (check output, performance data, attempts)
        </label>
        {choices.contacts.map((c) => (
          <label key={c.id} className="choice">
            <input type="checkbox" name="contactIds" value={c.id} defaultChecked={rule.contactIds.includes(c.id)} disabled={!c.verified} /> {c.label}
            {!c.verified && ' (not verified yet)'}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={pending}>
        {pending ? 'Saving…' : id ? 'Save rule' : 'Create rule'}
      </button>
      <Status state={state} />
    </form>
  );
}

export function RuleActions({ id, name, enabled }: { id: number; name: string; enabled: boolean }) {
  const [toggleState, toggle, toggling] = useActionState<RuleFormState, FormData>(toggleRuleAction, {});
  const [deleteState, remove, removing] = useActionState<RuleFormState, FormData>(deleteRuleAction, {});
  return (
    <div className="inline-form">
      <form action={toggle}>
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="enabled" value={enabled ? 'false' : 'true'} />
        <button type="submit" className="secondary" disabled={toggling} aria-label={`${enabled ? 'Switch off' : 'Switch on'} ${name}`}>
          {enabled ? 'Switch off' : 'Switch on'}
        </button>
      </form>
      <form
        action={remove}
        onSubmit={(e) => {
          if (!window.confirm(`Delete the rule "${name}"?`)) e.preventDefault();
        }}
      >
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="secondary" disabled={removing} aria-label={`Delete ${name}`}>
          Delete
        </button>
      </form>
      <Status state={toggleState} />
      <Status state={deleteState} />
    </div>
  );
}
