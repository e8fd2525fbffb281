import { rmSync } from 'node:fs';
import { activemq } from './activemq';
import { BROWSER_PACKAGES, STACK_PACKAGES, ensurePackages } from './apt';
import { DATA_DIR } from './config';
import { kannel } from './kannel';
import { smtp } from './smtp';
import { ldap } from './ldap';
import { mariadb } from './mariadb';
import { portIsOpen } from './process';
import type { Service } from './service';

export const SERVICES: Service[] = [mariadb, ldap, activemq, kannel, smtp];

/**
 * Starts every service that is not already answering. A service already running (ours, or
 * another checkout's on the same port) is reused; a port held by something else is an error.
 */
/** A busy machine can miss one short answer: a service whose port is open gets a few seconds more before it is called foreign. */
async function answersSoon(service: (typeof SERVICES)[number]): Promise<boolean> {
  if (await service.answers()) return true;
  for (let i = 0; i < 5 && (await portIsOpen(service.port())); i++) {
    await new Promise((r) => setTimeout(r, 1_000));
    if (await service.answers()) return true;
  }
  return false;
}

export async function startStack({ browser = false }: { browser?: boolean } = {}): Promise<void> {
  ensurePackages(browser ? [...STACK_PACKAGES, ...BROWSER_PACKAGES] : STACK_PACKAGES);
  await Promise.all(
    SERVICES.map(async (service) => {
      const started = Date.now();
      if (await answersSoon(service)) {
        const pid = service.pid();
        console.log(`[stack] ${service.name} already running on ${service.port()}${pid ? ` (pid ${pid})` : ''}`);
        return;
      }
      if (await portIsOpen(service.port())) {
        throw new Error(
          `port ${service.port()} is taken by something that is not Porthole's ${service.name}; ` +
            `stop it or choose another port (see README, "Local stack")`,
        );
      }
      const pid = await service.start();
      console.log(`[stack] ${service.name} ready on 127.0.0.1:${service.port()} (pid ${pid}, ${Date.now() - started} ms)`);
    }),
  );
}

export async function stopStack(): Promise<void> {
  await Promise.all(
    SERVICES.map(async (service) => {
      if (await service.stop()) console.log(`[stack] ${service.name} stopped`);
    }),
  );
}

export async function stackStatus(): Promise<boolean> {
  let allUp = true;
  for (const service of SERVICES) {
    const up = await service.answers();
    allUp &&= up;
    const pid = service.pid();
    console.log(`${service.name.padEnd(9)} ${up ? 'up  ' : 'down'} 127.0.0.1:${service.port()}${pid ? ` pid ${pid}` : ''}`);
  }
  return allUp;
}

export async function resetStack(): Promise<void> {
  await stopStack();
  rmSync(DATA_DIR, { recursive: true, force: true });
  console.log(`[stack] removed ${DATA_DIR}`);
}
