import net from 'node:net';
import { E2E_PORT } from '../scripts/test-setup/test-env';

// Requests fetch and Playwright refuse to send (TRACE, a bad Host, raw control characters, duplicate
// headers), written byte for byte on a socket. The test server trusts 127.0.0.2 as a front end.

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function rawRequest(text: string, { localAddress = '127.0.0.1' }: { localAddress?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: E2E_PORT, localAddress }, () => socket.write(text, 'latin1'));
    // Not end(): a half-closed socket cuts off streamed pages. The request says Connection: close.
    let data = '';
    socket.setEncoding('latin1');
    socket.setTimeout(15_000, () => socket.destroy(new Error('no answer within 15 s')));
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      if (!status) return reject(new Error(`no HTTP response: ${JSON.stringify(data.slice(0, 200))}`));
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
  });
}

/** One request; `Connection: close` so the socket's end marks the end of the answer. */
export function raw(method: string, target: string, headers: Record<string, string> | Array<[string, string]> = {}, options: { localAddress?: string; body?: string } = {}) {
  const list = Array.isArray(headers) ? headers : Object.entries(headers);
  const hasHost = list.some(([k]) => k.toLowerCase() === 'host');
  const lines = [`${method} ${target} HTTP/1.1`, ...(hasHost ? [] : [`Host: 127.0.0.1:${E2E_PORT}`]), ...list.map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
  if (options.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(options.body, 'latin1')}`);
  return rawRequest(`${lines.join('\r\n')}\r\n\r\n${options.body ?? ''}`, options);
}
