import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError } from 'ldapts';
import { USERNAME_PATTERN, escapeFilterValue } from './ldap-escape';

export interface DirectoryConfig {
  url: string;
  bindDn: string;
  bindPassword: string;
  userBase: string;
  userAttribute: string;
  userFilter: string;
  staffGroupDn: string;
  accountAttribute: string;
  startTls: boolean;
  caFile?: string;
  tlsVerify: boolean;
  timeoutMs: number;
}

export interface DirectoryUser {
  dn: string;
  username: string;
  displayName: string | null;
  email: string | null;
  /** The value of the account attribute, if the directory assigns one. */
  accountKey: string | null;
  isStaff: boolean;
  /**
   * When the entry's password last changed, as the directory writes it: pwdChangedTime where the
   * ppolicy overlay keeps one, else the entry's modifyTimestamp (any change of the entry then counts).
   */
  passwordStamp?: string | null;
}

/** The only place Porthole talks to LDAP. Every client is unbound, whatever happens. */
export class Directory {
  constructor(private readonly config: DirectoryConfig) {}

  private tlsOptions(): ConnectionOptions {
    return {
      ca: this.config.caFile ? readFileSync(this.config.caFile) : undefined,
      rejectUnauthorized: this.config.tlsVerify,
    };
  }

  private newClient(): Client {
    return new Client({
      url: this.config.url,
      timeout: this.config.timeoutMs,
      connectTimeout: this.config.timeoutMs,
      // ldapts speaks TLS from the first byte whenever tlsOptions are given: only for ldaps://.
      tlsOptions: this.config.url.startsWith('ldaps:') ? this.tlsOptions() : undefined,
    });
  }

  private async withServiceClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const client = this.newClient();
    try {
      if (this.config.startTls) await client.startTLS(this.tlsOptions());
      await client.bind(this.config.bindDn, this.config.bindPassword);
      return await fn(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** Binds as `dn`: true for the right password, false for a wrong one; throws when LDAP is unreachable. */
  private async bindAs(dn: string, password: string): Promise<boolean> {
    const client = this.newClient();
    try {
      if (this.config.startTls) await client.startTLS(this.tlsOptions());
      await client.bind(dn, password);
      return true;
    } catch (error) {
      if (error instanceof InvalidCredentialsError) return false;
      throw error;
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** Searches the user with the service account (the seed's `?userid?one`), staff membership included. */
  async findUser(username: string): Promise<DirectoryUser | null> {
    if (!USERNAME_PATTERN.test(username)) return null;
    const { userAttribute, userFilter, userBase, accountAttribute, staffGroupDn } = this.config;
    return this.withServiceClient(async (client) => {
      const filter = `(&${userFilter}(${userAttribute}=${escapeFilterValue(username)}))`;
      const attributes = ['cn', 'displayName', 'mail', userAttribute, 'pwdChangedTime', 'modifyTimestamp', ...(accountAttribute ? [accountAttribute] : [])];
      const { searchEntries } = await client.search(userBase, { scope: 'sub', filter, attributes, sizeLimit: 2 });
      if (searchEntries.length !== 1) return null; // none, or ambiguous: never guess
      const entry = searchEntries[0]!;
      const first = (name: string): string | null => {
        const value = entry[name];
        const one = Array.isArray(value) ? value[0] : value;
        return one === undefined ? null : String(one);
      };
      const { searchEntries: groups } = await client.search(staffGroupDn, {
        scope: 'base',
        filter: `(member=${escapeFilterValue(entry.dn)})`,
        attributes: ['dn'],
      }).catch((error: unknown) => {
        if ((error as { code?: number }).code === 32) return { searchEntries: [] }; // no such group
        throw error;
      });
      return {
        dn: entry.dn,
        username: first(userAttribute) ?? username,
        displayName: first('displayName') ?? first('cn'),
        email: first('mail'),
        accountKey: accountAttribute ? first(accountAttribute) : null,
        isStaff: groups.length > 0,
        passwordStamp: first('pwdChangedTime') ?? first('modifyTimestamp'),
      };
    });
  }

  /**
   * Search, then bind as the found DN. Unknown users cost a bind too (against a DN that does not
   * exist), so the answer's timing does not tell them apart from a wrong password.
   */
  async authenticate(username: string, password: string): Promise<DirectoryUser | null> {
    if (password === '' || password.length > 1024) return null; // an empty password is an anonymous bind
    const user = await this.findUser(username);
    const ok = await this.bindAs(user?.dn ?? `cn=porthole-no-such-user,${this.config.userBase}`, password);
    return ok && user ? user : null;
  }

  /** For /api/health: the service account can bind. */
  async ping(): Promise<void> {
    await this.withServiceClient(async () => undefined);
  }
}
