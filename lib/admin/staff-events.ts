import 'server-only';
import type { Database } from '../db/connection';
import { eventsAcrossVms } from '../db/queries/vm-events';
import { accountVmIds } from '../db/queries/vms';
import { type QueryInput, parseHistoryParams, parseId } from '../vms/params';

// Every host's events for staff: the VM history's filters (service, state, HARD/SOFT, time, cursor)
// plus an account or one VM. Shared by /admin/events and /api/v1/admin/events.

export async function staffEvents(db: Database, input: QueryInput, timeZone: string) {
  const params = parseHistoryParams(input, timeZone);
  const problems: string[] = params.ok ? [] : [params.error];
  const first = (name: string) => input(name)[0];
  const account = first('account');
  const vm = first('vm');
  const accountId = account ? parseId(account) : null;
  const vmId = vm ? parseId(vm) : null;
  if (account && accountId === null) problems.push('account: expected an account id.');
  if (vm && vmId === null) problems.push('vm: expected a VM id.');
  // A bad filter is named and dropped: the rest of the view stays.
  const vmIds = vmId !== null ? [vmId] : accountId !== null ? await accountVmIds(db, accountId) : null;
  const history = params.ok ? params.value : { cursor: null, limit: 50, states: [] };
  const page = await eventsAcrossVms(db, vmIds, history);
  return { problems, page, accountId, vmId, history };
}
