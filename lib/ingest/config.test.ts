import { describe, expect, it } from 'vitest';
import { loadIngestConfig } from './config';

describe('loadIngestConfig', () => {
  it('defaults to batches of 500, two at once, prefetch 1000', () => {
    expect(loadIngestConfig({} as NodeJS.ProcessEnv)).toMatchObject({ INGEST_BATCH_SIZE: 500, INGEST_CONCURRENCY: 2, INGEST_PREFETCH: 1000 });
  });

  it('refuses a prefetch that stalls ActiveMQ, and a concurrency of 0, naming the variable', () => {
    expect(() => loadIngestConfig({ INGEST_PREFETCH: '2000' } as NodeJS.ProcessEnv)).toThrow(/INGEST_PREFETCH.*at most 1000/);
    expect(() => loadIngestConfig({ INGEST_CONCURRENCY: '0' } as NodeJS.ProcessEnv)).toThrow(/INGEST_CONCURRENCY/);
  });
});
