import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { restoreNativeDate } from './native-date.mjs';

const require = createRequire(import.meta.url);

describe('restoreNativeDate', () => {
  it("puts the native Date back after Next's server replaced it, and dates made meanwhile stay Dates", () => {
    const native = globalThis.Date;
    expect(restoreNativeDate()).toBe(false); // nothing to do yet
    require('next/dist/server/node-environment-extensions/date.js');
    expect(globalThis.Date).not.toBe(native);
    const wrapped = new Date(1_800_000_000_000);

    expect(restoreNativeDate()).toBe(true);
    expect(globalThis.Date).toBe(native);
    expect(Date.prototype.constructor).toBe(native);
    expect(new Date(0).constructor).toBe(native);
    expect(wrapped).toBeInstanceOf(Date);
    expect(wrapped.getTime()).toBe(1_800_000_000_000);
    expect(restoreNativeDate()).toBe(false);
  });
});
