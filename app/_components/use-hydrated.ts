'use client';

import { useSyncExternalStore } from 'react';

const noSubscription = () => () => undefined;

/**
 * False on the server and while hydrating, true once the scripts run: a control that only works with
 * JavaScript (a sound, push, the clipboard) is rendered hidden and appears with it, so a customer whose
 * scripts have not loaded (or never will) is not offered a button that does nothing.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
