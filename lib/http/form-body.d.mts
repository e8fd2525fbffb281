// Types for form-body.mjs (plain JavaScript so that server.mjs can import it without a loader).
import type { IncomingMessage } from 'node:http';
import type { IncomingHeaders } from './request-guard.mjs';

export declare const MAX_FORM_BYTES: number;
export declare const TOO_LARGE: { status: 413; message: string };
export declare function isPageFormPost(method: string | undefined, path: string, headers: IncomingHeaders): boolean;
export declare function formBodyProblem(body: Buffer, contentType: string | undefined): Promise<{ status: number; message: string } | null>;
export declare function readBody(req: IncomingMessage, limit?: number): Promise<Buffer | null>;
export declare function replayRequest(req: IncomingMessage, body: Buffer): IncomingMessage;
