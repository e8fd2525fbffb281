// Next.js 16's server replaces the global Date with a wrapper (next/dist/server/node-environment-
// extensions/date.js) that notes reads of the clock for prerendering with `cacheComponents`. Dates it
// constructs get a derived object layout that V8's fast paths do not cover: getTime() on them is about
// 16x slower and constructing 3x slower (200,000 dates: 26 ms against 1.6 ms). Every Date the web process
// reads from the database is one, so the VM page's availability and charts paid it on each of their
// hundreds of thousands of calls. Porthole does not enable `cacheComponents` (next.config.js), where
// the wrapper does nothing at request time, so server.mjs puts the native Date back once Next is loaded.
// This module is imported before `next` so that it sees the native constructor.
const NativeDate = globalThis.Date;

/** Puts the native Date back as the global (and as Date.prototype.constructor). True when it was replaced. */
export function restoreNativeDate() {
  if (globalThis.Date === NativeDate) return false;
  globalThis.Date = NativeDate;
  Object.defineProperty(NativeDate.prototype, 'constructor', { value: NativeDate, writable: true, enumerable: false, configurable: true });
  return true;
}
