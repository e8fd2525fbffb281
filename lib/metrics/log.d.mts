// Types for log.mjs (plain JavaScript so that server.mjs can import it without a loader).
import type { Logger } from 'pino';

export type { Logger };
export declare const REDACT_PATHS: string[];
export declare const LEVELS: readonly string[];
export declare function createLogger(
  processName: string,
  options?: { env?: Record<string, string | undefined>; destination?: { write(line: string): unknown } },
): Logger;
export declare function requestId(headers: Record<string, string | string[] | undefined>, peerIsTrusted: boolean): string;
