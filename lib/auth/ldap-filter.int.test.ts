import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Directory } from './ldap';
import { USERNAME_PATTERN } from './ldap-escape';
import { TEST_DIRECTORY_CONFIG } from '../testing/test-directory';

// Filter escaping against the real slapd. Two layers keep crafted names out of the user search: the
// username pattern (outer) and RFC 4515 escaping (inner). The outer one refuses every value below
// before the directory is asked, so here it is switched off and the inner one faces the directory
// alone: with escapeFilterValue returning its input, every case of the "crafted" table fails (the
// directory then answers alice, or all three users, or a filter error).
const directory = new Directory(TEST_DIRECTORY_CONFIG);

// The demo directory holds exactly alice, bob and carol (scripts/stack/demo-directory.ts).
const CRAFTED: Array<[string, string]> = [
  ['*', 'a bare wildcard (all three users)'],
  ['a*', 'a wildcard that matches alice alone'],
  ['*lic*', 'a substring of alice'],
  ['alice)(uid=*', 'a closed assertion plus an always-true one'],
  ['*)(|(uid=*', 'an injected OR of everything'],
  ['alice)', 'a stray closing parenthesis after a real name'],
  ['(', 'an opening parenthesis'],
  [')', 'a closing parenthesis'],
  ['\\', 'a lone backslash'],
  ['\\2a', 'an escaped star written by the caller'],
  ['\\61lice', 'alice with its first letter written as an escape'],
  ['alice\0', 'NUL after a real name'],
  ['\0', 'NUL alone'],
  ['bob)(|(uid=carol', 'one user name smuggling another'],
];

describe('LDAP filter escaping (real OpenLDAP, username pattern bypassed)', () => {
  beforeEach(() => {
    // The outer layer: findUser checks USERNAME_PATTERN.test() before building the filter.
    vi.spyOn(USERNAME_PATTERN, 'test').mockReturnValue(true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('the bypass reaches the directory: exact names are still found', async () => {
    expect(await directory.findUser('alice')).toMatchObject({ dn: 'uid=alice,ou=people,dc=example,dc=com' });
    expect(await directory.findUser('carol')).toMatchObject({ dn: 'uid=carol,ou=people,dc=example,dc=com', isStaff: true });
    expect(USERNAME_PATTERN.test('*')).toBe(true);
  });

  it.each(CRAFTED)('%j (%s) matches no entry', async (value) => {
    await expect(directory.findUser(value)).resolves.toBeNull();
  });

  it.each(CRAFTED)('%j (%s) with alice’s password logs nobody in', async (value) => {
    await expect(directory.authenticate(value, 'alice-demo')).resolves.toBeNull();
  });

  it('a name that contains a crafted part is matched literally, not as a pattern', async () => {
    // "al*e" would match alice as a pattern; taken literally it is nobody.
    await expect(directory.findUser('al*e')).resolves.toBeNull();
    await expect(directory.findUser('ALICE')).resolves.toMatchObject({ username: 'alice' }); // uid matching is case-insensitive
  });
});

describe('the username pattern (outer layer) still refuses them', () => {
  it.each(CRAFTED)('%j (%s)', async (value) => {
    expect(USERNAME_PATTERN.test(value)).toBe(false);
    await expect(directory.findUser(value)).resolves.toBeNull();
  });
});
