import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { randomBytes, randomUUID, sha256 } from './fast-crypto';

describe('fast-crypto', () => {
  it('sha256 is node:crypto’s SHA-256 at every padding boundary and for UTF-8 text', () => {
    for (let n = 0; n < 200; n++) {
      const data = nodeCrypto.randomBytes(n);
      expect(sha256(data).toString('hex')).toBe(nodeCrypto.createHash('sha256').update(data).digest('hex'));
    }
    const text = Buffer.from('nagios1\u0000["state-v1","service","web1","Disk /","CRITICAL","SOFT",1795543186,1] é 漢 🚀', 'utf8');
    expect(sha256(text).toString('hex')).toBe(nodeCrypto.createHash('sha256').update(text).digest('hex'));
    expect(sha256(new Uint8Array(0)).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('random bytes and UUIDs differ every time', () => {
    expect(randomBytes(4)).toHaveLength(4);
    const ids = new Set(Array.from({ length: 1000 }, randomUUID));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
