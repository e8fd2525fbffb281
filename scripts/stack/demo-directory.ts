import { stackConfig } from './config';

/**
 * The demo directory (a contract: tests, docs and outside checks rely on it). Customers carry
 * their account key in `o`; staff are members of cn=support. Passwords are demo-only.
 */
export const DEMO_USERS = [
  { uid: 'alice', password: 'alice-demo', cn: 'Alice Archer', mail: 'alice@acme.example', account: 'acme' },
  { uid: 'bob', password: 'bob-demo', cn: 'Bob Brown', mail: 'bob@globex.example', account: 'globex' },
  { uid: 'carol', password: 'carol-demo', cn: 'Carol Clark', mail: 'carol@porthole.example', account: null },
] as const;

export function demoDirectory(hash: (password: string) => string): string {
  const { ldapSuffix, ldapServiceDn, ldapServicePassword } = stackConfig;
  const people = DEMO_USERS.map(
    (u) => `dn: uid=${u.uid},ou=people,${ldapSuffix}
objectClass: inetOrgPerson
uid: ${u.uid}
cn: ${u.cn}
sn: ${u.cn.split(' ')[1]}
givenName: ${u.cn.split(' ')[0]}
mail: ${u.mail}
${u.account ? `o: ${u.account}\n` : ''}userPassword: ${hash(u.password)}
`,
  );
  return [
    `dn: ${ldapSuffix}
objectClass: dcObject
objectClass: organization
dc: example
o: Example Hosting
`,
    `dn: ou=people,${ldapSuffix}
objectClass: organizationalUnit
ou: people
`,
    `dn: ou=groups,${ldapSuffix}
objectClass: organizationalUnit
ou: groups
`,
    `dn: ou=services,${ldapSuffix}
objectClass: organizationalUnit
ou: services
`,
    `dn: ${ldapServiceDn}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: porthole
description: Porthole's search account
userPassword: ${hash(ldapServicePassword)}
`,
    ...people,
    `dn: cn=support,ou=groups,${ldapSuffix}
objectClass: groupOfNames
cn: support
description: Support staff: Porthole's admin pages
member: uid=carol,ou=people,${ldapSuffix}
`,
  ].join('\n');
}
