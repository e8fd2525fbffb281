'use client';

import Link from 'next/link';
import { useActionState, useState } from 'react';
import { NagiosText } from '@/app/_components/nagios-text';
import type { CandidateStatus, ImportCandidate } from '@/lib/admin/nagios-objects';
import { type ImportChoice, type ImportResult, type ImportState, importFromNagios } from './actions';

export interface Option {
  value: string;
  label: string;
}

const STATUS_WORDS: Record<CandidateStatus, string> = {
  new: 'New',
  exists: 'Exists already',
  'no-address': 'No address',
  'bad-address': 'Not an IP address',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function Problems({ title, problems }: { title: string; problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="error" role="alert">
      <p>{title}</p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <NagiosText text={p} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function PasteForm({
  action,
  pending,
  accounts,
  plans,
  choice,
  text,
  problems,
}: {
  action: (form: FormData) => void;
  pending: boolean;
  accounts: Option[];
  plans: Option[];
  choice: ImportChoice;
  text?: string;
  problems: string[];
}) {
  return (
    <form action={action} aria-label="Read objects.cache">
      <input type="hidden" name="step" value="parse" />
      <label>
        objects.cache
        <textarea
          name="text"
          rows={12}
          defaultValue={text}
          placeholder={'define host {\n\thost_name\tweb-01\n\taddress\t192.0.2.10\n\t}'}
          spellCheck={false}
          style={{ width: '100%', fontFamily: 'monospace', fontSize: '.85rem' }}
        />
      </label>
      <div className="filters">
        <label>
          Or upload the file
          <input type="file" name="file" accept=".cache,text/plain" />
        </label>
        <label>
          Account
          <select name="accountKey" defaultValue={choice.accountKey} required>
            <option value="" disabled>
              Choose
            </option>
            {accounts.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Plan
          <select name="planSlug" defaultValue={choice.planSlug} required>
            {plans.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Ubuntu release
          <input name="ubuntuRelease" defaultValue={choice.ubuntuRelease} required pattern="\d{2}\.\d{2}" size={6} />
        </label>
        <div className="form-actions">
          <button type="submit" disabled={pending}>
            {pending ? 'Reading…' : 'Read hosts'}
          </button>
        </div>
      </div>
      <Problems title="Nothing was read:" problems={problems} />
    </form>
  );
}

function ConfirmForm({
  action,
  pending,
  choice,
  candidates,
  problems,
  source,
  accounts,
  plans,
}: {
  action: (form: FormData) => void;
  pending: boolean;
  choice: ImportChoice;
  candidates: ImportCandidate[];
  problems: string[];
  source: string;
  accounts: Option[];
  plans: Option[];
}) {
  const [ticked, setTicked] = useState(() => new Set(candidates.filter((c) => c.status === 'new').map((c) => c.hostName)));
  const label = (options: Option[], value: string) => options.find((o) => o.value === value)?.label ?? value;
  const hosts = candidates.map(({ hostName, alias, address, parents }) => ({ hostName, alias, address, parents }));
  const importable = candidates.filter((c) => c.status === 'new').length;
  const chosen = candidates.filter((c) => c.status === 'new' && ticked.has(c.hostName)).length;
  return (
    <form action={action} aria-label="Hosts to import">
      <input type="hidden" name="step" value="create" />
      <input type="hidden" name="accountKey" value={choice.accountKey} />
      <input type="hidden" name="planSlug" value={choice.planSlug} />
      <input type="hidden" name="ubuntuRelease" value={choice.ubuntuRelease} />
      <input type="hidden" name="hosts" value={JSON.stringify(hosts)} />
      <div className="panel">
        <dl className="facts">
          <dt>Read from</dt>
          <dd>
            {source}: {plural(candidates.length, 'host')}, {importable} new
          </dd>
          <dt>Account</dt>
          <dd>{label(accounts, choice.accountKey)}</dd>
          <dt>Plan</dt>
          <dd>{label(plans, choice.planSlug)}</dd>
          <dt>Ubuntu</dt>
          <dd>{choice.ubuntuRelease}</dd>
        </dl>
      </div>
      <Problems title="Some of the file was not understood (those parts are left out):" problems={problems} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">The VMs the file describes, checked before anything is created</caption>
          <thead>
            <tr>
              <th scope="col">Create</th>
              <th scope="col">Nagios host_name</th>
              <th scope="col">Name customers see</th>
              <th scope="col">Address</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {candidates.map((c) => (
              <tr key={c.hostName} data-testid="import-candidate">
                <td>
                  <input
                    type="checkbox"
                    name="create"
                    value={c.hostName}
                    aria-label={`Create ${c.hostName}`}
                    disabled={c.status !== 'new'}
                    checked={c.status === 'new' && ticked.has(c.hostName)}
                    onChange={(e) => {
                      const next = new Set(ticked);
                      if (e.target.checked) next.add(c.hostName);
                      else next.delete(c.hostName);
                      setTicked(next);
                    }}
                  />
                </td>
                <td>
                  <NagiosText text={c.hostName} />
                </td>
                <td>
                  <NagiosText text={c.hostname} />
                  {c.alias !== null && c.alias !== c.hostname ? (
                    <div className="small muted">
                      alias: <NagiosText text={c.alias} />
                    </div>
                  ) : null}
                </td>
                <td>{c.address === null ? '—' : <NagiosText text={c.address} />}</td>
                <td>
                  <span className={`state state-${c.status === 'new' ? 'OK' : c.status === 'exists' ? 'PENDING' : 'WARNING'}`}>{STATUS_WORDS[c.status]}</span>
                  {c.note ? (
                    <div className="small muted">
                      <NagiosText text={c.note} />
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-actions">
        <button type="submit" disabled={pending || importable === 0}>
          {pending ? 'Creating…' : `Create ${plural(chosen, 'VM')}`}
        </button>
        {/* A submit, not a link: a link to this page would keep the form's state in the browser. */}
        <button type="submit" name="restart" value="1" className="secondary" disabled={pending}>
          Start over
        </button>
      </div>
    </form>
  );
}

function Results({ results }: { results: ImportResult[] }) {
  const created = results.filter((r) => r.created).length;
  return (
    <section aria-label="Import results">
      <p role="status">
        Created {plural(created, 'VM')}
        {results.length > created ? `; ${results.length - created} not created` : ''}. <Link href="/admin/vms">All VMs</Link>
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">What the import created, VM by VM</caption>
          <thead>
            <tr>
              <th scope="col">Nagios host_name</th>
              <th scope="col">Name customers see</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.hostName} data-testid="import-result">
                <td>
                  <NagiosText text={r.hostName} />
                </td>
                <td>
                  <NagiosText text={r.hostname} />
                </td>
                <td>
                  <span className={`state state-${r.created ? 'OK' : 'CRITICAL'}`}>{r.created ? 'Created' : 'Not created'}</span>{' '}
                  <NagiosText text={r.detail} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The two-step import: read the file, then confirm the hosts to create. Plain POSTs, with or without JavaScript. */
export function ImportForm({ accounts, plans, defaults }: { accounts: Option[]; plans: Option[]; defaults: ImportChoice }) {
  const [state, action, pending] = useActionState<ImportState, FormData>(importFromNagios, { step: 'paste' });
  if (state.step === 'confirm') {
    return (
      <ConfirmForm
        action={action}
        pending={pending}
        choice={state.choice}
        candidates={state.candidates}
        problems={state.problems}
        source={state.source}
        accounts={accounts}
        plans={plans}
      />
    );
  }
  return (
    <>
      {state.step === 'done' ? (
        <>
          <Results results={state.results} />
          <h2>Import another file</h2>
        </>
      ) : null}
      <PasteForm
        action={action}
        pending={pending}
        accounts={accounts}
        plans={plans}
        choice={state.choice ?? defaults}
        text={state.step === 'paste' ? state.text : undefined}
        problems={state.step === 'paste' ? (state.problems ?? []) : []}
      />
    </>
  );
}
