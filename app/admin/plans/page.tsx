import type { Metadata } from 'next';
import { StaffForm } from '@/app/_components/staff-form';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listPlansForStaff, listVmsForStaff } from '@/lib/db/queries/onboarding';
import { formatMinor } from '@/lib/plans/proration';
import { createPlanAction, updatePlanAction } from './actions';

export const metadata: Metadata = { title: 'Plans' };

type PlanValues = Awaited<ReturnType<typeof listPlansForStaff>>[number];

function PlanFields({ values }: { values?: PlanValues }) {
  const n = (name: string, label: string, v: number | undefined, min: number) => (
    <label>
      {label}
      <input name={name} type="number" required min={min} step={1} defaultValue={v} size={8} />
    </label>
  );
  return (
    <>
      <label>
        Name
        <input name="name" required maxLength={64} defaultValue={values?.name} />
      </label>
      <label>
        Slug
        <input name="slug" required maxLength={32} pattern="[a-z0-9][a-z0-9\-]*" defaultValue={values?.slug} />
      </label>
      {n('priceMinor', 'Price a month (cents)', values?.priceMinor, 0)}
      <label>
        Currency
        <input name="currency" required pattern="[A-Za-z]{3}" size={4} defaultValue={values?.currency ?? 'EUR'} />
      </label>
      {n('diskGb', 'Disk (GiB)', values?.diskGb, 1)}
      {n('transferGb', 'Transfer a month (GB)', values?.transferGb, 0)}
      {n('memoryMb', 'Memory (MiB)', values?.memoryMb, 64)}
      {n('cpus', 'vCPUs', values?.cpus, 1)}
      {n('sortOrder', 'Order in lists', values?.sortOrder ?? 0, 0)}
      <input type="hidden" name="hasActive" value="1" />
      <label className="choice">
        <input type="checkbox" name="active" defaultChecked={values?.active ?? true} /> Offered to customers
      </label>
    </>
  );
}

/** Staff create and edit plans; a plan in use is never deleted, only retired. */
export default async function PlansPage() {
  await requireStaff();
  const db = getDb();
  const [plans, vms] = await Promise.all([listPlansForStaff(db), listVmsForStaff(db)]);
  const inUse = new Map<string, number>();
  for (const v of vms) inUse.set(v.planSlug, (inUse.get(v.planSlug) ?? 0) + 1);
  return (
    <>
      <h1>Plans</h1>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">The plan catalogue: limits and prices</caption>
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Price a month</th>
              <th scope="col">Disk</th>
              <th scope="col">Transfer</th>
              <th scope="col">Memory</th>
              <th scope="col">vCPUs</th>
              <th scope="col">VMs on it</th>
              <th scope="col">
                <span className="visually-hidden">Edit</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr key={p.id} data-testid="plan-row">
                <td>
                  {p.name} <code>{p.slug}</code>
                  {p.active ? null : <div className="small muted">Retired: offered to nobody</div>}
                </td>
                <td>{formatMinor(p.priceMinor, p.currency)}</td>
                <td>{p.diskGb} GiB</td>
                <td>{p.transferGb.toLocaleString('en-GB')} GB</td>
                <td>{p.memoryMb} MiB</td>
                <td>{p.cpus}</td>
                <td>{inUse.get(p.slug) ?? 0}</td>
                <td>
                  <details>
                    <summary>Edit</summary>
                    <StaffForm action={updatePlanAction} label={`Edit ${p.name}`} submit="Save">
                      <input type="hidden" name="id" value={p.id} />
                      <PlanFields values={p} />
                    </StaffForm>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">A plan with VMs on it is never deleted: untick “Offered to customers” to retire it.</p>
      <h2>New plan</h2>
      <StaffForm action={createPlanAction} label="New plan" submit="Create plan">
        <PlanFields />
      </StaffForm>
    </>
  );
}
