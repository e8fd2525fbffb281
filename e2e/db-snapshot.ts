import { createHash } from 'node:crypto';
import mysql from 'mysql2/promise';
import { TEST_ENV } from '../scripts/test-setup/test-env';

// "Nothing changed": a fingerprint of every table of the test database, taken before and after a
// refused request. A refused request is still a request, so a few writes are legitimate and left out:
// they are bookkeeping of who is calling, never the effect of the action that was refused.
const BOOKKEEPING_COLUMNS: Record<string, string[]> = {
  // Authentication (an HTTP Basic login, the periodic staff re-check against the directory).
  users: ['last_login_at', 'directory_checked_at', 'directory_stamp'],
  // The idle timeout moves on every request of a live session; revocation columns still count.
  sessions: ['last_seen_at'],
};
// Appended rows that a refused request may write: login decisions (an HTTP Basic caller logs in on
// the request itself) and refusals, if they are ever audited. Anything else (user.account_assigned,
// session.revoked, …) in audit_log after a refused call is a failure.
const AUDIT_TABLE = 'audit_log';
const ALLOWED_AUDIT_ACTIONS = /^(login\.(success|cached|failure|throttled|refused)|[a-z_.]*(denied|refused|forbidden))$/;

export interface Snapshot {
  tables: Record<string, string>;
  auditMaxId: number;
  /** Count and hash of the audit rows up to auditMaxId. */
  auditHead: string;
}

export class DatabaseSnapshots {
  private constructor(private readonly connection: mysql.Connection) {}

  static async open(): Promise<DatabaseSnapshots> {
    return new DatabaseSnapshots(await mysql.createConnection({ uri: TEST_ENV.DATABASE_URL!, dateStrings: true }));
  }

  async close(): Promise<void> {
    await this.connection.end();
  }

  async query<T>(sql: string, values: unknown[] = []): Promise<T[]> {
    const [rows] = await this.connection.query(sql, values);
    return rows as T[];
  }

  async tableNames(): Promise<string[]> {
    const rows = await this.query<Record<string, string>>('SHOW TABLES');
    return rows.map((row) => Object.values(row)[0]!).sort();
  }

  async take(): Promise<Snapshot> {
    const names = await this.tableNames();
    if (names.length < 5) throw new Error(`the test database has only ${names.length} tables: is it migrated?`);
    const tables: Record<string, string> = {};
    const plain = names.filter((name) => !(name in BOOKKEEPING_COLUMNS) && name !== AUDIT_TABLE);
    for (const row of await this.query<{ Table: string; Checksum: number | null }>(`CHECKSUM TABLE ${plain.map((n) => `\`${n}\``).join(', ')}`)) {
      tables[row.Table.split('.').pop()!] = String(row.Checksum);
    }
    for (const name of names.filter((n) => n in BOOKKEEPING_COLUMNS)) {
      const skip = new Set(BOOKKEEPING_COLUMNS[name]);
      const rows = await this.query<Record<string, unknown>>(`SELECT * FROM \`${name}\``);
      const lines = rows.map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !skip.has(column)))).sort();
      tables[name] = createHash('sha256').update(lines.join('\n')).digest('hex');
    }
    const [max] = await this.query<{ id: number | null }>(`SELECT MAX(id) AS id FROM \`${AUDIT_TABLE}\``);
    const auditMaxId = Number(max?.id ?? 0);
    return { tables, auditMaxId, auditHead: await this.auditHead(auditMaxId) };
  }

  /** What changed since `before`, as readable lines; empty when nothing did. `alsoAllowed`: tables this call may write. */
  async changesSince(before: Snapshot, alsoAllowed: string[] = []): Promise<string[]> {
    const after = await this.take();
    const changes: string[] = [];
    for (const name of new Set([...Object.keys(before.tables), ...Object.keys(after.tables)])) {
      if (before.tables[name] !== after.tables[name] && !alsoAllowed.includes(name)) changes.push(`table ${name} changed`);
    }
    const audited = await this.query<{ id: number; action: string }>(`SELECT id, action FROM \`${AUDIT_TABLE}\` WHERE id > ? ORDER BY id`, [before.auditMaxId]);
    for (const row of audited) {
      if (!ALLOWED_AUDIT_ACTIONS.test(row.action)) changes.push(`audit_log row ${row.id}: ${row.action}`);
    }
    // Rows may only be appended to the audit log, never altered or removed.
    if ((await this.auditHead(before.auditMaxId)) !== before.auditHead) changes.push('audit_log rows up to the snapshot were altered or removed');
    return changes;
  }

  private async auditHead(maxId: number): Promise<string> {
    const [head] = await this.query<{ n: number; sum: string | null }>(
      `SELECT COUNT(*) AS n, SHA2(GROUP_CONCAT(id, action, COALESCE(target_id, '') ORDER BY id), 256) AS sum FROM \`${AUDIT_TABLE}\` WHERE id <= ?`,
      [maxId],
    );
    return `${head?.n}:${head?.sum}`;
  }
}
