import { z } from 'zod';
import { databaseUrl, destination, parseEnv, positiveInt, stompUrl } from '../config/parse-env';

// The provisioning worker's configuration, validated once at start-up.
const provisioningEnvSchema = z.object({
  DATABASE_URL: databaseUrl.default('mysql://porthole:porthole@127.0.0.1:33306/porthole'),
  STOMP_URL: stompUrl.default('stomp://127.0.0.1:61713'),
  /** Where plan-change orders go for the host's provisioning system. */
  PROVISIONING_QUEUE: destination.default('/queue/portal.provisioning'),
  /** Where the provisioning system answers (accepted / completed / failed). */
  PROVISIONING_REPLY_QUEUE: destination.default('/queue/portal.provisioning.replies'),
  PROVISIONING_POLL_MS: positiveInt(500),
  /** Links in the messages that tell customers an order ended point here (the portal's public URL). */
  NEXTAUTH_URL: z.url().default('http://127.0.0.1:3000'),
});

export type ProvisioningConfig = z.infer<typeof provisioningEnvSchema>;
export const loadProvisioningConfig = (source: NodeJS.ProcessEnv = process.env): ProvisioningConfig => parseEnv(provisioningEnvSchema, source);
