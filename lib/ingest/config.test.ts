import { describe, expect, it } from 'vitest';
import { loadIngestConfig } from './config';

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

describe('loadIngestConfig', () => {
  it('defaults to batches of 500, two at once, prefetch 1000', () => {
    expect(loadIngestConfig(env({}))).toMatchObject({ INGEST_BATCH_SIZE: 500, INGEST_CONCURRENCY: 2, INGEST_PREFETCH: 1000 });
  });

  it('refuses a prefetch that stalls ActiveMQ, and a concurrency of 0, naming the variable', () => {
    expect(() => loadIngestConfig(env({ INGEST_PREFETCH: '2000' }))).toThrow(/INGEST_PREFETCH.*at most 1000/);
    expect(() => loadIngestConfig(env({ INGEST_CONCURRENCY: '0' }))).toThrow(/INGEST_CONCURRENCY/);
  });

  it('allows events 300 s ahead of the broker by default, and refuses a skew that is not a positive number', () => {
    expect(loadIngestConfig(env({})).INGEST_MAX_CLOCK_SKEW_SECONDS).toBe(300);
    expect(loadIngestConfig(env({ INGEST_MAX_CLOCK_SKEW_SECONDS: '30' })).INGEST_MAX_CLOCK_SKEW_SECONDS).toBe(30);
    for (const bad of ['-1', '0', '1.5', 'five']) {
      expect(() => loadIngestConfig(env({ INGEST_MAX_CLOCK_SKEW_SECONDS: bad }))).toThrow(/INGEST_MAX_CLOCK_SKEW_SECONDS/);
    }
  });
});
