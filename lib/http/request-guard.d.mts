// Types for request-guard.mjs (plain JavaScript so that server.mjs can import it without a loader).
export type IncomingHeaders = Record<string, string | string[] | undefined>;
export interface Origin {
  scheme: string;
  host: string | undefined;
}
export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

export declare const FORWARDING_HEADERS: readonly string[];
export declare const ALLOWED_METHODS: readonly string[];
export declare const MAX_URL_LENGTH: number;
export declare const PERMISSIONS_POLICY: string;
export declare const HSTS: string;
export declare const NO_CONTENT_CSP: string;

export declare function normalizeIp(ip: string | undefined | null): string;
export declare function parseTrustedProxies(text: string | undefined): Set<string>;
export declare function stripUntrustedForwarding(
  headers: IncomingHeaders,
  peer: string | undefined,
  trusted: Set<string>,
  userHeader?: string,
): string[];
export declare function isValidHost(host: unknown): boolean;
export declare function requestOrigin(headers: IncomingHeaders, encrypted: boolean): Origin;
export declare function isCleanTarget(url: unknown): boolean;
export declare function crossOriginProblem(input: {
  method: string;
  path: string;
  headers: IncomingHeaders;
  origin: Origin;
  extraOrigins?: Array<{ scheme: string; host: string }>;
}): string | null;
export declare function configuredOrigins(urls: Array<string | undefined>): Array<{ scheme: string; host: string }>;
export declare function refusal(input: {
  method: string;
  url: string | undefined;
  headers: IncomingHeaders;
  encrypted: boolean;
  extraOrigins?: Array<{ scheme: string; host: string }>;
}): Refusal | null;
export declare function isTls(headers: IncomingHeaders, encrypted: boolean): boolean;
export declare function baselineHeaders(tls: boolean): Record<string, string>;
