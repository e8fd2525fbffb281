import { describe, expect, it, vi } from 'vitest';
import { Directory } from './ldap';
import { TEST_DIRECTORY_CONFIG } from '../testing/test-directory';

// Against the real slapd started by scripts/stack, with the demo directory.
const directory = new Directory(TEST_DIRECTORY_CONFIG);

describe('Directory (real OpenLDAP)', () => {
  it('logs in the demo users with their roles and accounts', async () => {
    expect(await directory.authenticate('alice', 'alice-demo')).toMatchObject({
      dn: 'uid=alice,ou=people,dc=example,dc=com',
      accountKey: 'acme',
      isStaff: false,
      email: 'alice@acme.example',
    });
    expect(await directory.authenticate('bob', 'bob-demo')).toMatchObject({ accountKey: 'globex', isStaff: false });
    expect(await directory.authenticate('carol', 'carol-demo')).toMatchObject({ accountKey: null, isStaff: true });
  });

  it('refuses a wrong password, an unknown user and an empty password alike', async () => {
    expect(await directory.authenticate('alice', 'wrong')).toBeNull();
    expect(await directory.authenticate('nobody', 'wrong')).toBeNull();
    expect(await directory.authenticate('alice', '')).toBeNull();
  });

  it.each(['*', 'alice)(uid=*', '*)(|(uid=*', 'alice\0', 'a'.repeat(10_000), 'ALICE*'])('refuses the username %j', async (username) => {
    expect(await directory.authenticate(username, 'alice-demo')).toBeNull();
    expect(await directory.findUser(username)).toBeNull();
  });

  it('binds for unknown users too, so their answer takes as long as a wrong password', async () => {
    const bindAs = vi.spyOn(directory as unknown as { bindAs: (dn: string, pw: string) => Promise<boolean> }, 'bindAs');
    expect(await directory.authenticate('nobody-at-all', 'wrong-password')).toBeNull();
    expect(await directory.authenticate('alice', 'wrong-password')).toBeNull();
    expect(bindAs).toHaveBeenCalledTimes(2);
    expect(bindAs.mock.calls[0]![0]).toMatch(/^cn=porthole-no-such-user,/);
    bindAs.mockRestore();
  });

  it('reports an unreachable directory as an error, not as a wrong password', async () => {
    const offline = new Directory({ ...TEST_DIRECTORY_CONFIG, url: 'ldap://127.0.0.1:1' });
    await expect(offline.authenticate('alice', 'alice-demo')).rejects.toThrow();
  });
});
