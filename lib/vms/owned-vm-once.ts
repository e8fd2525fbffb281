import 'server-only';
import { cache } from 'react';
import { getDb } from '../db';
import { ownedVm } from '../db/queries/vms';

/** The account's VM, read once per request: a page and its generateMetadata (the title) share the read. */
export const ownedVmOnce = cache(async (accountId: number, vmId: number) => ownedVm(getDb(), accountId, vmId));
