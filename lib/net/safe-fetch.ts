import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { fail, ok, type Result } from '../result';
import { checkTargetUrl } from './safe-target';

// One POST to a customer-supplied URL: checked first, then connected to the very address checked (no
// second DNS answer), no redirects followed, a deadline, and at most maxResponseBytes of the answer read.

export interface SafePostOptions {
  body: string;
  headers: Record<string, string>;
  timeoutMs?: number;
  allowNetworks?: string[];
  maxResponseBytes?: number;
}

export interface PostAnswer {
  status: number;
  body: string;
}

export type PostFailure = { kind: 'refused' | 'redirect' | 'timeout' | 'network'; message: string };

export async function safePost(rawUrl: string, o: SafePostOptions): Promise<Result<PostAnswer, PostFailure>> {
  const checked = await checkTargetUrl(rawUrl, { allowNetworks: o.allowNetworks ?? [] });
  if (!checked.ok) return fail({ kind: 'refused', message: checked.error });
  const { url, address, family } = checked.value;
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const client = url.protocol === 'https:' ? https : http;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const max = o.maxResponseBytes ?? 4096;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      { method: 'POST', headers: { ...o.headers, 'Content-Length': String(Buffer.byteLength(o.body)) }, lookup: pinned, timeout: timeoutMs, agent: false },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          response.resume();
          resolve(fail({ kind: 'redirect', message: `The receiver answered ${status} (a redirect to ${response.headers.location ?? 'elsewhere'}); redirects are not followed.` }));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < max) chunks.push(chunk.subarray(0, max - size));
          size += chunk.length;
        });
        response.on('end', () => resolve(ok({ status, body: Buffer.concat(chunks).toString('utf8') })));
        response.on('error', (e) => resolve(fail({ kind: 'network', message: e.message })));
      },
    );
    const timer = setTimeout(() => request.destroy(new Error('timeout')), timeoutMs);
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (e) => {
      clearTimeout(timer);
      resolve(fail(e.message === 'timeout' ? { kind: 'timeout', message: `No answer within ${timeoutMs / 1000} s.` } : { kind: 'network', message: e.message }));
    });
    request.on('close', () => clearTimeout(timer));
    request.end(o.body);
  });
}
