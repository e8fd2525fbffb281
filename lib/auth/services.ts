import 'server-only';
import { getDb } from '../db';
import { env } from '../env';
import { directoryConfig } from './directory-config';
import { Directory } from './ldap';
import type { ThrottleLimits } from './throttle';

// The web process's auth dependencies, built once from the validated environment.
let directory: Directory | undefined;

export function getDirectory(): Directory {
  directory ??= new Directory(directoryConfig(env()));
  return directory;
}

export function throttleLimits(): ThrottleLimits {
  const e = env();
  return {
    maxPerUser: e.LOGIN_MAX_FAILURES_PER_USER,
    maxPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
    windowMinutes: e.LOGIN_THROTTLE_MINUTES,
  };
}

export const loginDeps = () => ({ db: getDb(), directory: getDirectory(), limits: throttleLimits() });
