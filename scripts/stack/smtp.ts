import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR, stackConfig } from './config';
import { portIsOpen, readPid, startDetached, stopPid, waitFor } from './process';
import type { Service } from './service';

// A real SMTP server for the demo and the tests (Debian's python3-aiosmtpd): every message it accepts
// is a file under .data/mail/new/, readable by a person or by lib/testing/maildir.ts.
const dir = path.join(DATA_DIR, 'smtp');
const pidFile = path.join(dir, 'smtp.pid');
export const MAILDIR = path.join(DATA_DIR, 'mail');
const HANDLER = path.join(import.meta.dirname, 'smtp-maildir.py');

/** The server greets with 220: ours (or another SMTP server, which is just as good for sending). */
async function greets(): Promise<boolean> {
  const { Socket } = await import('node:net');
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('220')));
    socket.connect(stackConfig.smtpPort, '127.0.0.1');
  });
}

export const smtp: Service = {
  name: 'SMTP',
  port: () => stackConfig.smtpPort,
  pid: () => readPid(pidFile),
  answers: greets,
  async start() {
    mkdirSync(dir, { recursive: true });
    // A pyenv python3 may come first on PATH without Debian's module: use the system one.
    const pid = startDetached('/usr/bin/python3', [HANDLER, String(stackConfig.smtpPort), MAILDIR], path.join(dir, 'smtp.log'), pidFile);
    await waitFor('SMTP server', async () => (await portIsOpen(stackConfig.smtpPort)) && greets(), { pid, timeoutMs: 15_000 });
    return pid;
  },
  stop: () => stopPid('SMTP server', pidFile),
};
