// The failures every STOMP session reports, whichever client sent the frames (connect.ts' stompjs
// session in the long-running processes, publisher.ts' frame writer in the Nagios-side commands).
import { type BrokerEndpoint, describeEndpoint } from './broker-url';

/** No endpoint of the list accepted a STOMP connection. `attempts` says why, per endpoint. */
export class BrokerUnavailableError extends Error {
  override name = 'BrokerUnavailableError';
  constructor(readonly attempts: ReadonlyArray<{ endpoint: BrokerEndpoint; reason: string }>) {
    super(`no broker answered: ${attempts.map((a) => `${describeEndpoint(a.endpoint)} (${a.reason})`).join('; ')}`);
  }
}

/** The connection failed while messages were waiting for their RECEIPT: they may or may not be stored. */
export class StompSessionError extends Error {
  override name = 'StompSessionError';
}

/** Tries each endpoint in order with `connect`; throws `BrokerUnavailableError` when none accepts. */
export async function firstThatConnects<T>(endpoints: readonly BrokerEndpoint[], connect: (endpoint: BrokerEndpoint) => Promise<T>): Promise<T> {
  const attempts: Array<{ endpoint: BrokerEndpoint; reason: string }> = [];
  for (const endpoint of endpoints) {
    try {
      return await connect(endpoint);
    } catch (error) {
      attempts.push({ endpoint, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new BrokerUnavailableError(attempts);
}

/** A socket error as one short reason: the errno code (ECONNREFUSED) when there is one. */
export function socketErrorReason(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return typeof error === 'string' ? error : 'socket error';
}
