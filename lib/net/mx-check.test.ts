import { describe, expect, it } from 'vitest';
import { combineAddressLookups, dnsFailureFromError } from './mx-check';

function codeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('dnsFailureFromError', () => {
  it.each([
    ['ENOTFOUND', 'nxdomain'],
    ['ENODATA', 'nodata'],
    ['ETIMEOUT', 'timeout'],
    ['EREFUSED', 'refused'],
    ['ESERVFAIL', 'servfail'],
    ['ECONNREFUSED', 'unreachable'],
    ['EBADRESP', 'error'],
  ])('maps %s to %s', (code, failure) => {
    expect(dnsFailureFromError(codeError(code, `queryMx ${code} x.test`))).toEqual({
      failure,
      detail: `queryMx ${code} x.test`,
    });
  });

  it('copes with something that is not an Error', () => {
    expect(dnsFailureFromError('boom')).toEqual({ failure: 'error', detail: 'boom' });
  });
});

describe('combineAddressLookups', () => {
  it('joins both families', () => {
    expect(combineAddressLookups({ ok: true, value: ['192.0.2.1'] }, { ok: true, value: ['2001:db8::1'] })).toEqual({
      ok: true,
      value: ['192.0.2.1', '2001:db8::1'],
    });
  });

  it('treats a family without records as empty', () => {
    expect(combineAddressLookups({ ok: true, value: ['192.0.2.1'] }, { ok: false, failure: 'nodata' })).toEqual({
      ok: true,
      value: ['192.0.2.1'],
    });
  });

  it('is unknown when one family timed out, since every address counts', () => {
    expect(
      combineAddressLookups({ ok: true, value: ['192.0.2.1'] }, { ok: false, failure: 'timeout', detail: 't' }),
    ).toEqual({ ok: false, failure: 'timeout', detail: 't' });
  });

  it('says nxdomain or nodata when there is nothing', () => {
    expect(combineAddressLookups({ ok: false, failure: 'nxdomain' }, { ok: false, failure: 'nxdomain' })).toEqual({
      ok: false,
      failure: 'nxdomain',
    });
    expect(combineAddressLookups({ ok: false, failure: 'nodata' }, { ok: false, failure: 'nodata' })).toEqual({
      ok: false,
      failure: 'nodata',
    });
  });
});
