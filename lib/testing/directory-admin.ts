import { createHash, randomBytes } from 'node:crypto';
import { Attribute, Change, Client } from 'ldapts';
import { stackConfig } from '../../scripts/stack/config';

// Changes to the real test slapd as its administrator, for tests that need the directory to move
// under a logged-in user. Tests use users of their own (never the demo users others rely on).

const PEOPLE = `ou=people,${stackConfig.ldapSuffix}`;
const STAFF_GROUP = `cn=support,ou=groups,${stackConfig.ldapSuffix}`;

const ssha = (password: string) => {
  const salt = randomBytes(8);
  return `{SSHA}${Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]).toString('base64')}`;
};

async function asAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: process.env.LDAP_URL ?? `ldap://127.0.0.1:${stackConfig.ldapPort}`, timeout: 5000, connectTimeout: 5000 });
  try {
    await client.bind(stackConfig.ldapRootDn, stackConfig.ldapRootPassword);
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export const testUserDn = (uid: string) => `uid=${uid},${PEOPLE}`;

export async function setStaff(uid: string, staff: boolean): Promise<void> {
  await asAdmin(async (client) => {
    const change = new Change({ operation: staff ? 'add' : 'delete', modification: new Attribute({ type: 'member', values: [testUserDn(uid)] }) });
    await client.modify(STAFF_GROUP, change).catch((error: { code?: number }) => {
      // 20: already a member, 16: not a member: the state asked for holds.
      if (error.code !== 20 && error.code !== 16) throw error;
    });
  });
}

export async function createTestUser(uid: string, password: string, { staff = false, account }: { staff?: boolean; account?: string } = {}) {
  await deleteTestUser(uid);
  await asAdmin((client) =>
    client.add(testUserDn(uid), {
      objectClass: 'inetOrgPerson',
      uid,
      cn: `Test ${uid}`,
      sn: uid,
      userPassword: ssha(password),
      ...(account ? { o: account } : {}),
    }),
  );
  if (staff) await setStaff(uid, true);
}

export async function setPassword(uid: string, password: string): Promise<void> {
  await asAdmin((client) =>
    client.modify(testUserDn(uid), new Change({ operation: 'replace', modification: new Attribute({ type: 'userPassword', values: [ssha(password)] }) })),
  );
}

export async function deleteTestUser(uid: string): Promise<void> {
  await setStaff(uid, false);
  await asAdmin((client) =>
    client.del(testUserDn(uid)).catch((error: { code?: number }) => {
      if (error.code !== 32) throw error; // no such object
    }),
  );
}
