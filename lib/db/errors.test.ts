import { describe, expect, it } from 'vitest';
import { databaseErrorAction, driverError } from './errors';

/** An error shaped like mysql2's for an ERR packet from the server. */
function serverError(errno: number, code: string, message = code): Error {
  return Object.assign(new Error(message), { errno, code, sqlState: 'HY000', sqlMessage: message });
}

/** An error shaped like mysql2's when the connection itself fails. */
function connectionError(code: string, errno?: number): Error {
  return Object.assign(new Error(code), { code, errno, fatal: true });
}

describe('databaseErrorAction', () => {
  it.each([
    [1264, 'ER_WARN_DATA_OUT_OF_RANGE'],
    [1406, 'ER_DATA_TOO_LONG'],
    [1366, 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD'],
    [1292, 'ER_TRUNCATED_WRONG_VALUE'],
    [4025, 'ER_CONSTRAINT_FAILED'],
    [1367, 'ER_ILLEGAL_VALUE_FOR_TYPE'],
    [1048, 'ER_BAD_NULL_ERROR'],
    [1062, 'ER_DUP_ENTRY'],
    [1153, 'ER_NET_PACKET_TOO_LARGE'],
    [1265, 'WARN_DATA_TRUNCATED'],
    [3140, 'ER_INVALID_JSON_TEXT'],
    [4999, 'A_FUTURE_DATA_ERROR'],
  ])('isolates the messages when the server refuses what they hold (%i %s)', (errno, code) => {
    expect(databaseErrorAction(serverError(errno, code))).toBe('isolate');
  });

  it.each([
    [1213, 'ER_LOCK_DEADLOCK'],
    [1205, 'ER_LOCK_WAIT_TIMEOUT'],
    [1290, 'ER_OPTION_PREVENTS_STATEMENT'],
    [1836, 'ER_READ_ONLY_MODE'],
    [1792, 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION'],
    [1047, 'ER_UNKNOWN_COM_ERROR'],
    [1040, 'ER_CON_COUNT_ERROR'],
    [1053, 'ER_SERVER_SHUTDOWN'],
    [1927, 'ER_CONNECTION_KILLED'],
    [1021, 'ER_DISK_FULL'],
    [1146, 'ER_NO_SUCH_TABLE'],
    [1054, 'ER_BAD_FIELD_ERROR'],
    [1142, 'ER_TABLEACCESS_DENIED_ERROR'],
    [1064, 'ER_PARSE_ERROR'],
    [1223, 'ER_CANT_UPDATE_WITH_READLOCK'],
  ])('retries without acking when the database is not ready (%i %s)', (errno, code) => {
    expect(databaseErrorAction(serverError(errno, code))).toBe('retry');
  });

  it.each([
    connectionError('PROTOCOL_CONNECTION_LOST'),
    connectionError('ECONNREFUSED', -111),
    connectionError('ECONNRESET', -104),
    connectionError('ETIMEDOUT', -110),
    connectionError('EPIPE', -32),
    // A server error that arrives on the handshake is fatal for the connection: retry too.
    Object.assign(connectionError('ER_ACCESS_DENIED_ERROR', 1045), { sqlState: '28000' }),
    Object.assign(connectionError('ER_DATA_TOO_LONG', 1406), { sqlState: '22001' }),
    new Error('Pool is closed.'),
    new TypeError('x is not a function'),
    'a string',
    null,
    undefined,
  ])('retries whatever the server did not report for the statement (%s)', (error) => {
    expect(databaseErrorAction(error)).toBe('retry');
  });

  it('looks through drizzle’s wrapper to the driver’s error', () => {
    const wrapped = Object.assign(new Error('Failed query: INSERT …'), { cause: serverError(1264, 'ER_WARN_DATA_OUT_OF_RANGE') });
    expect(databaseErrorAction(wrapped)).toBe('isolate');
    expect(driverError(wrapped).message).toBe('ER_WARN_DATA_OUT_OF_RANGE');
    const wrappedOutage = Object.assign(new Error('Failed query: INSERT …'), { cause: connectionError('PROTOCOL_CONNECTION_LOST') });
    expect(databaseErrorAction(wrappedOutage)).toBe('retry');
  });
});
