import { hostname } from 'node:os';
import { z } from 'zod';
import { databaseUrl, parseEnv, positiveInt } from '../config/parse-env';

// The notifier's own configuration, validated once at start-up; each channel reads its own settings
// (lib/notify/channels/index.ts).
const notifyEnvSchema = z.object({
  DATABASE_URL: databaseUrl.default('mysql://porthole:porthole@127.0.0.1:33306/porthole'),
  /** Links in messages point here (the portal's public URL). */
  NEXTAUTH_URL: z.url().default('http://127.0.0.1:3000'),
  NOTIFY_POLL_MS: positiveInt(250),
  /** How long a sender holds a message before another notifier may send it (a crashed sender's lease). */
  NOTIFY_LEASE_MS: positiveInt(60_000),
  /** How often forecast triggers of alert rules are checked (a disk filling, the quota running out); 0: never. */
  NOTIFY_FORECAST_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  NOTIFY_INSTANCE: z.string().max(128).default(`${hostname()}:${process.pid}`),
});

export type NotifyConfig = z.infer<typeof notifyEnvSchema>;
export const loadNotifyConfig = (source: NodeJS.ProcessEnv = process.env): NotifyConfig => parseEnv(notifyEnvSchema, source);
