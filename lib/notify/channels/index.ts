import { commaList, parseEnv } from '../../config/parse-env';
import { z } from 'zod';
import { createEmailChannel, loadEmailConfig } from './email';
import { createPushChannel, loadVapidConfig } from './push';
import { createSmsChannel, loadSmsConfig } from './sms';
import type { Channels } from './types';
import { createWebhookChannel } from './webhook';

export type { Channels } from './types';

const allowSchema = z.object({
  /** Private networks webhooks and push endpoints may reach anyway (CIDR list): the host's staff decide. */
  ALERT_ALLOW_NETWORKS: commaList,
});

export const allowedNetworks = (env: NodeJS.ProcessEnv = process.env): string[] => parseEnv(allowSchema, env).ALERT_ALLOW_NETWORKS;

/**
 * Every channel from the environment, for the notifier and for the web server's verification codes
 * and test deliveries. Push is on when VAPID keys are set.
 */
export function createChannels(env: NodeJS.ProcessEnv = process.env): Channels {
  const allowNetworks = allowedNetworks(env);
  const channels: Channels = {
    email: createEmailChannel(loadEmailConfig(env)),
    sms: createSmsChannel(loadSmsConfig(env)),
    webhook: createWebhookChannel({ allowNetworks }),
  };
  const vapid = env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY ? loadVapidConfig(env) : null;
  if (vapid) channels.push = createPushChannel({ vapid, allowNetworks });
  return channels;
}

let shared: Channels | undefined;

/** The web server's channels (verification codes, test deliveries): created once, pooled. */
export function sharedChannels(): Channels {
  shared ??= createChannels();
  return shared;
}
