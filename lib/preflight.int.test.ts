import { describe, expect, it } from 'vitest';
import { preflight, redact } from './preflight';

describe('preflight', () => {
  it('passes with the test configuration', async () => {
    await expect(preflight(process.env)).resolves.toMatchObject({ DATABASE_URL: process.env.DATABASE_URL });
  });

  it('names an unparseable DATABASE_URL in one line', async () => {
    const error = await preflight({ ...process.env, DATABASE_URL: 'not a url' }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^Invalid configuration: DATABASE_URL: must be a URL like mysql:\/\//);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names an unreachable database without printing its password', async () => {
    const error = await preflight({ ...process.env, DATABASE_URL: 'mysql://porthole:secret@127.0.0.1:1/porthole' }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^Invalid configuration: DATABASE_URL: cannot use mysql:\/\/porthole:\*\*\*@127\.0\.0\.1:1\/porthole/);
    expect((error as Error).message).not.toContain('secret');
  });

  it('names an unreachable LDAP in one line', async () => {
    const error = await preflight({ ...process.env, LDAP_URL: 'ldap://127.0.0.1:1' }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^Invalid configuration: LDAP_URL \/ LDAP_BIND_DN: cannot bind to ldap:\/\/127\.0\.0\.1:1: /);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names a malformed LDAP_URL', async () => {
    await expect(preflight({ ...process.env, LDAP_URL: 'http://x' })).rejects.toThrow(/^Invalid configuration: LDAP_URL: must be ldap:/);
  });

  it('redacts only the password', () => {
    expect(redact('mysql://u:p@h:1/d')).toBe('mysql://u:***@h:1/d');
  });
});
