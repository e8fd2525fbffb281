import { execFileSync } from 'node:child_process';
import { createECDH, type ECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ece from 'http_ece';

// A local Web Push service for tests: push services speak HTTPS only, so this one has a certificate made
// for the run (openssl), records what arrives, and a subscribing "browser" key pair that can decrypt it.

export interface PushReceived {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface PushService {
  base: string;
  /** Trusts the run's certificate: give it to the push channel. */
  agent: https.Agent;
  received: PushReceived[];
  respond: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  close: () => Promise<void>;
}

export async function startPushService(): Promise<PushService> {
  const dir = mkdtempSync(path.join(tmpdir(), 'porthole-push-'));
  // prettier-ignore
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  const cert = readFileSync(path.join(dir, 'cert.pem'));
  const key = readFileSync(path.join(dir, 'key.pem'));
  rmSync(dir, { recursive: true, force: true });
  const service: PushService = {
    base: '',
    agent: new https.Agent({ ca: cert }),
    received: [],
    respond: (_req, res) => res.writeHead(201).end(),
    close: () => new Promise<void>((r) => tls.close(() => r())),
  };
  const tls = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      service.received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      service.respond(req, res);
    });
  });
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  service.base = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  return service;
}

/** A browser's push subscription keys, and the decryption it alone can do. */
export function pushSubscriber(): { keys: { p256dh: string; auth: string }; decrypt: (body: Buffer) => unknown } {
  const browser: ECDH = createECDH('prime256v1');
  browser.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  return {
    keys: { p256dh: browser.getPublicKey('base64url'), auth },
    decrypt: (body) => JSON.parse(ece.decrypt(body, { version: 'aes128gcm', privateKey: browser, authSecret: auth }).toString()) as unknown,
  };
}
