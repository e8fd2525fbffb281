import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../connection';
import { accounts, plans, users, vms } from '../schema';
import { listAccountsWithCounts } from './admin';

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });
afterAll(() => pool.end());

describe('the overview', () => {
  it("counts each account's own VMs and users (ids chosen so that a count keyed by the wrong id would differ)", async () => {
    const run = randomUUID().slice(0, 8);
    const [plan] = await db.select().from(plans).limit(1);
    const ids: number[] = [];
    for (const name of ['a', 'b']) {
      await db.insert(accounts).values({ slug: `count-${run}-${name}`, name: `count ${run} ${name}` });
      ids.push((await db.select().from(accounts).where(eq(accounts.slug, `count-${run}-${name}`)))[0]!.id);
    }
    const [a, b] = ids as [number, number];
    for (let i = 0; i < 3; i++) {
      const host = `count-${run}-${i}.example`;
      await db.insert(vms).values({ accountId: a, nagiosHostName: host, hostname: host, address: `10.96.0.${i + 1}`, ubuntuRelease: '24.04', planId: plan!.id });
    }
    await db.insert(users).values({ username: `count-${run}-u`, dn: `uid=count-${run}-u,ou=people,dc=example,dc=com`, accountId: b });
    const rows = await listAccountsWithCounts(db);
    expect(rows.find((r) => r.id === a)).toMatchObject({ vmCount: 3, userCount: 0 });
    expect(rows.find((r) => r.id === b)).toMatchObject({ vmCount: 0, userCount: 1 });
    // And every account's numbers agree with a plain count.
    for (const r of rows) {
      expect(r.vmCount, r.name).toBe((await db.select().from(vms).where(eq(vms.accountId, r.id))).length);
      expect(r.userCount, r.name).toBe((await db.select().from(users).where(eq(users.accountId, r.id))).length);
    }
  });
});
