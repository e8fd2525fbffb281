import { existsSync } from 'node:fs';
import type { Metadata } from 'next';
import { LocalTime } from '@/app/_components/local-time';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { SYSTEM_UBUNTU_CSV } from '@/lib/guides/releases';
import { loadGuideSettings } from '@/lib/db/queries/settings';
import { loadSlaDefinition } from '@/lib/db/queries/sla-settings';
import { loadSupportSettings } from '@/lib/db/queries/support-settings';
import { SUPPORT_SETTING_KEYS, SUPPORT_SETTINGS } from '@/lib/config/support';
import { describeSlaDefinition } from '@/lib/monitoring/sla';
import { GUIDE_SETTING_KEYS, GUIDE_SETTINGS, settingToText } from '@/lib/guides/settings';
import { ImportForm, ResetButton, SettingsForm, SlaForm, SupportForm, type SettingField, type SupportField } from './settings-forms';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  await requireStaff();
  const db = getDb();
  const [loaded, table, sla, support] = await Promise.all([loadGuideSettings(db), loadReleaseTable(db), loadSlaDefinition(db), loadSupportSettings(db)]);
  const supportFields: SupportField[] = SUPPORT_SETTING_KEYS.map((key) => ({
    key,
    label: SUPPORT_SETTINGS[key].label,
    help: SUPPORT_SETTINGS[key].help,
    env: SUPPORT_SETTINGS[key].env,
    value: support.values[key] ?? '',
    source: support.sources[key],
  }));
  const fields: SettingField[] = GUIDE_SETTING_KEYS.map((key) => ({
    key,
    label: GUIDE_SETTINGS[key].label,
    help: GUIDE_SETTINGS[key].help,
    env: GUIDE_SETTINGS[key].env,
    value: settingToText(key, loaded.values),
    source: loaded.sources[key],
  }));
  const overridden = GUIDE_SETTING_KEYS.filter((k) => loaded.sources[k] === 'staff');
  return (
    <>
      <h1>Settings</h1>
      <section aria-labelledby="guides-heading">
        <h2 id="guides-heading">Customer instructions</h2>
        <p className="muted">
          What the package, firewall and mail guides are written from. Each setting defaults to its environment variable;
          a value saved here overrides it. Invalid input is rejected and nothing is saved.
        </p>
        {loaded.problems.map((p) => (
          <p key={p} className="error">{p}</p>
        ))}
        <div className="panel">
          <SettingsForm fields={fields} />
        </div>
        {overridden.length > 0 && (
          <>
            <h3>Overrides</h3>
            <ul>
              {overridden.map((k) => (
                <li key={k}>
                  {GUIDE_SETTINGS[k].label}: set by {loaded.updated[k]?.by ?? 'staff'}
                  {loaded.updated[k] && (
                    <>
                      {' '}
                      on <LocalTime at={loaded.updated[k].at} />
                    </>
                  )}
                  <ResetButton settingKey={k} label={GUIDE_SETTINGS[k].label} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="support-heading">
        <h2 id="support-heading">Support contact</h2>
        <p className="muted">
          How customers reach support: shown with the next step on every problem on the dashboard and the VM pages. The password reset page is the
          directory&apos;s own; the login page links to it as &quot;Forgot your password?&quot;.
        </p>
        {support.problems.map((p) => (
          <p key={p} className="error">{p}</p>
        ))}
        <div className="panel">
          <SupportForm fields={supportFields} />
        </div>
      </section>

      <section aria-labelledby="sla-heading">
        <h2 id="sla-heading">Availability figure</h2>
        <p className="muted">
          How the availability percentage on every VM page and in the API (<code>slaPct</code>) is counted. Time before monitoring first saw a
          service and time without data are never counted.
        </p>
        {sla.problem ? <p className="error">{sla.problem}</p> : null}
        <p data-testid="sla-in-use">
          In use{sla.source === 'default' ? ' (the default)' : ''}: {describeSlaDefinition(sla.definition)}
          {sla.source === 'staff' && sla.updated ? (
            <>
              {' '}
              Set by {sla.updated.by ?? 'staff'} on <LocalTime at={sla.updated.at} />.
            </>
          ) : null}
        </p>
        <div className="panel">
          <SlaForm unknownIsDown={sla.definition.unknownIsDown} warningIsUp={sla.definition.warningIsUp} />
        </div>
      </section>

      <section aria-labelledby="releases-heading">
        <h2 id="releases-heading">Ubuntu release table</h2>
        <p data-testid="release-source">In use: {table.source.description}</p>
        <div className="panel">
          <ImportForm systemPath={SYSTEM_UBUNTU_CSV} systemAvailable={existsSync(SYSTEM_UBUNTU_CSV)} imported={table.source.kind === 'imported'} />
        </div>
      </section>
    </>
  );
}
