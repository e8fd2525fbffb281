// Page POSTs carry forms for server actions. Next.js answers a multipart body it cannot parse, or
// one over its size limit, with a 500; server.mjs reads such bodies here first, so a client's broken
// form gets a 400 or 413 and Next only ever sees a body that parses.
import { IncomingMessage } from 'node:http';

/** Next's default `serverActions.bodySizeLimit` (next.config.mjs does not change it). */
export const MAX_FORM_BYTES = 1024 * 1024;

/** Whether Next would parse this request's body as a form: a POST to a page with a multipart body. */
export function isPageFormPost(method, path, headers) {
  if (method !== 'POST' || path.startsWith('/api/') || path.startsWith('/_next/')) return false;
  return /^multipart\/form-data\b/i.test(String(headers['content-type'] ?? ''));
}

export const TOO_LARGE = { status: 413, message: 'Request body too large.' };

/** Why the body cannot be handed to Next (`{ status, message }`), or null when it parses. */
export async function formBodyProblem(body, contentType) {
  try {
    await new Response(body, { headers: { 'content-type': contentType } }).formData();
    return null;
  } catch {
    return { status: 400, message: 'Bad request: the form data could not be read.' };
  }
}

/** The whole body, or null as soon as it is over `limit` bytes (the rest is not read). */
export function readBody(req, limit = MAX_FORM_BYTES) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** A request like `req` whose body is `body` again, for Next to read once more. */
export function replayRequest(req, body) {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.trailers = req.trailers;
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}
