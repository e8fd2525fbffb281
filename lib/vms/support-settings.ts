import 'server-only';
import { cache } from 'react';
import { getDb } from '../db';
import { loadSupportSettings } from '../db/queries/support-settings';

/** The support contact and password reset page, read once per request (one primary-key read). */
export const supportSettings = cache(async () => (await loadSupportSettings(getDb())).values);
