/** What mysql2 reports: `errno` is MariaDB's error number, `code` its name (ER_DUP_ENTRY…). */
export type DriverError = Error & { errno?: number; code?: string; sqlState?: string; fatal?: boolean };

/**
 * The driver's error behind drizzle's DrizzleQueryError, whose own message quotes the whole
 * statement (for a batch insert, hundreds of kilobytes of data): log and match on this one.
 */
export function driverError(error: unknown): DriverError {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error) return cause as DriverError;
  return error instanceof Error ? (error as DriverError) : new Error(String(error));
}

/**
 * Server errors that say nothing about the data written: the server, the cluster or our own setup
 * is not ready (connection limits, failover and read-only nodes, locks, resources, schema or
 * grants during a deploy). The same statement succeeds later, so the writer waits and retries.
 */
const RETRY_ERRNOS: ReadonlySet<number> = new Set([
  1015, // ER_CANT_LOCK
  1016, // ER_CANT_OPEN_FILE
  1021, // ER_DISK_FULL
  1030, // ER_GET_ERRNO (storage engine error, e.g. 28: no space left)
  1036, // ER_OPEN_AS_READONLY
  1037, // ER_OUTOFMEMORY
  1038, // ER_OUT_OF_SORTMEMORY
  1040, // ER_CON_COUNT_ERROR
  1041, // ER_OUT_OF_RESOURCES
  1044, // ER_DBACCESS_DENIED_ERROR
  1045, // ER_ACCESS_DENIED_ERROR
  1047, // ER_UNKNOWN_COM_ERROR (Galera: WSREP has not yet prepared node for application use)
  1049, // ER_BAD_DB_ERROR
  1053, // ER_SERVER_SHUTDOWN
  1054, // ER_BAD_FIELD_ERROR (schema older than the code, mid-deploy)
  1064, // ER_PARSE_ERROR (values are escaped: a syntax error is ours, never the message's)
  1114, // ER_RECORD_FILE_FULL
  1129, // ER_HOST_IS_BLOCKED
  1142, // ER_TABLEACCESS_DENIED_ERROR
  1143, // ER_COLUMNACCESS_DENIED_ERROR
  1146, // ER_NO_SUCH_TABLE
  1158, // ER_NET_READ_ERROR
  1159, // ER_NET_READ_INTERRUPTED
  1160, // ER_NET_ERROR_ON_WRITE
  1161, // ER_NET_WRITE_INTERRUPTED
  1180, // ER_ERROR_DURING_COMMIT
  1181, // ER_ERROR_DURING_ROLLBACK
  1192, // ER_LOCK_OR_ACTIVE_TRANSACTION
  1203, // ER_TOO_MANY_USER_CONNECTIONS
  1205, // ER_LOCK_WAIT_TIMEOUT
  1206, // ER_LOCK_TABLE_FULL
  1213, // ER_LOCK_DEADLOCK (also Galera's certification failure)
  1223, // ER_CANT_UPDATE_WITH_READLOCK (FLUSH TABLES WITH READ LOCK during a backup)
  1226, // ER_USER_LIMIT_REACHED
  1290, // ER_OPTION_PREVENTS_STATEMENT (--read-only: a replica or a demoted primary)
  1317, // ER_QUERY_INTERRUPTED
  1615, // ER_NEED_REPREPARE
  1637, // ER_TOO_MANY_CONCURRENT_TRXS
  1792, // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
  1836, // ER_READ_ONLY_MODE
  1927, // ER_CONNECTION_KILLED
  1969, // ER_STATEMENT_TIMEOUT
  4031, // ER_CLIENT_INTERACTION_TIMEOUT
]);

/**
 * What the ingester does when a batch write fails:
 * - `retry`: the database or the way to it is the problem (connection lost or refused, deadlock,
 *   lock wait timeout, read-only or failover, resources, grants, schema). Keep the messages unacked
 *   and write the same batch again later.
 * - `isolate`: the server refused the statement because of what it holds (out of range, too long,
 *   invalid JSON or date, a constraint, a packet too large...). Split the batch until the messages
 *   the database refuses are alone; they become dead letters, the rest is stored.
 *
 * Only an error the server itself reported for the statement (an SQLSTATE, a positive errno, and
 * the connection still up) can be `isolate`: anything else (a socket error, a timeout, a closed
 * pool, a bug of ours) retries, so an outage never turns good messages into dead letters.
 */
export function databaseErrorAction(error: unknown): 'retry' | 'isolate' {
  const e = driverError(error);
  const fromServer = typeof e.sqlState === 'string' && typeof e.errno === 'number' && e.errno > 0 && e.fatal !== true;
  if (!fromServer) return 'retry';
  return RETRY_ERRNOS.has(e.errno!) ? 'retry' : 'isolate';
}
