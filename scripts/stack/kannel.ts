import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR, stackConfig } from './config';
import { isAlive, portIsOpen, readPid, startDetached, stopPid, waitFor } from './process';
import type { Service } from './service';

// Kannel as the SMS gateway, with Kannel's own fake SMSC as the "operator": bearerbox routes,
// smsbox serves /cgi-bin/sendsms, fakesmsc prints every message it receives (tests read that).
const dir = path.join(DATA_DIR, 'kannel');
const confFile = path.join(dir, 'kannel.conf');
const pidFiles = {
  bearerbox: path.join(dir, 'bearerbox.pid'),
  fakesmsc: path.join(dir, 'fakesmsc.pid'),
  smsbox: path.join(dir, 'smsbox.pid'),
};
const FAKESMSC = '/usr/lib/kannel/test/fakesmsc';

/** Where the fake SMSC writes what it receives (lib/testing/fake-smsc.ts reads it). */
export const FAKESMSC_LOG = path.join(dir, 'fakesmsc.log');

/** The smsbox send URL with the stack's sendsms user: SMS_GATEWAY_URL's local default. */
export function kannelSendsmsUrl(): string {
  const { kannelSendsmsPort, kannelSmsUser, kannelSmsPassword } = stackConfig;
  return `http://127.0.0.1:${kannelSendsmsPort}/cgi-bin/sendsms?username=${kannelSmsUser}&password=${kannelSmsPassword}`;
}

function kannelConf(): string {
  const c = stackConfig;
  // max-messages 3 + concatenation: up to three linked parts; Kannel drops the rest of a longer text
  // without an error, so the channel (lib/notify/channels/sms.ts) counts parts before sending.
  return `group = core
admin-port = ${c.kannelAdminPort}
admin-password = ${c.kannelAdminPassword}
status-password = ${c.kannelStatusPassword}
admin-interface = 127.0.0.1
admin-allow-ip = "127.0.0.1"
smsbox-port = ${c.kannelSmsboxPort}
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
log-file = "${path.join(dir, 'bearerbox.log')}"
log-level = 1
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake1
port = ${c.kannelSmscPort}
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${c.kannelSmsboxPort}
sendsms-port = ${c.kannelSendsmsPort}
sendsms-interface = 127.0.0.1
global-sender = 12345
log-file = "${path.join(dir, 'smsbox.log')}"
log-level = 1

group = sendsms-user
username = ${c.kannelSmsUser}
password = ${c.kannelSmsPassword}
max-messages = 3
concatenation = true
`;
}

async function statusText(): Promise<string | null> {
  const { kannelAdminPort, kannelStatusPassword } = stackConfig;
  try {
    const response = await fetch(`http://127.0.0.1:${kannelAdminPort}/status.txt?password=${kannelStatusPassword}`, {
      signal: AbortSignal.timeout(1000),
    });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

/** Usable = smsbox is connected to bearerbox and so is the fake SMSC (else sends only queue). */
async function answers(): Promise<boolean> {
  const status = await statusText();
  if (status === null) return false;
  const smsboxOnline = /smsbox:\S*.*\(on-line/.test(status);
  const smscOnline = /fake1\[fake1\]\s+FAKE:\d+ \(online/.test(status);
  return smsboxOnline && smscOnline && (await portIsOpen(stackConfig.kannelSendsmsPort));
}

const ourPids = () => Object.values(pidFiles).map(readPid).filter((pid) => pid !== null);

async function stop(): Promise<boolean> {
  const running = ourPids().length > 0;
  if (!running) return false;
  if (readPid(pidFiles.bearerbox) !== null) {
    // A clean shutdown lets bearerbox tell both boxes; they all exit within 2-3 s.
    const { kannelAdminPort, kannelAdminPassword } = stackConfig;
    await fetch(`http://127.0.0.1:${kannelAdminPort}/shutdown?password=${kannelAdminPassword}`, {
      signal: AbortSignal.timeout(2000),
    }).catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (ourPids().some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }
  // Whatever is left (or a box whose bearerbox is gone): SIGTERM, then SIGKILL.
  await stopPid('Kannel smsbox', pidFiles.smsbox);
  await stopPid('Kannel fakesmsc', pidFiles.fakesmsc);
  await stopPid('Kannel bearerbox', pidFiles.bearerbox);
  return true;
}

export const kannel: Service = {
  name: 'Kannel',
  port: () => stackConfig.kannelSendsmsPort,
  pid: () => readPid(pidFiles.bearerbox),
  answers,

  async start() {
    // Leftovers of ours (say smsbox died, bearerbox still up) would hold ports: start clean.
    await stop();
    mkdirSync(dir, { recursive: true });
    writeFileSync(confFile, kannelConf());
    const c = stackConfig;
    // Each one needs the previous one's port: boxes started before bearerbox exit 1.
    const bearerbox = startDetached('bearerbox', ['-v', '1', confFile], path.join(dir, 'bearerbox.out'), pidFiles.bearerbox);
    await waitFor('Kannel bearerbox', async () => (await portIsOpen(c.kannelSmsboxPort)) && portIsOpen(c.kannelSmscPort), {
      pid: bearerbox,
      timeoutMs: 15_000,
    });
    // -m 0: the fake SMSC sends nothing of its own; it prints what it receives on stderr.
    const fakesmsc = startDetached(
      FAKESMSC,
      ['-H', '127.0.0.1', '-r', String(c.kannelSmscPort), '-i', '1', '-m', '0', '100 200 text unused'],
      FAKESMSC_LOG,
      pidFiles.fakesmsc,
    );
    await waitFor('Kannel fakesmsc', async () => /fake1\[fake1\]\s+FAKE:\d+ \(online/.test((await statusText()) ?? ''), {
      pid: fakesmsc,
      timeoutMs: 15_000,
    });
    const smsbox = startDetached('smsbox', ['-v', '1', confFile], path.join(dir, 'smsbox.out'), pidFiles.smsbox);
    await waitFor('Kannel smsbox', answers, { pid: smsbox, timeoutMs: 15_000 });
    return bearerbox;
  },

  stop,
};
