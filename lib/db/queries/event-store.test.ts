import { describe, expect, it } from 'vitest';
import { matchVm, vmMatcher } from './event-store';

const vms = [
  { id: 1, nagiosHostName: 'web1', address: '10.0.0.1', hostname: 'web1.acme.example' },
  { id: 2, nagiosHostName: 'db1', address: '10.0.0.2', hostname: 'db1.acme.example' },
  // Names another VM also answers to: the first in the list wins, as before the index.
  { id: 3, nagiosHostName: 'web1', address: '10.0.0.2', hostname: 'web1.acme.example' },
  { id: 4, nagiosHostName: '10.0.0.9', address: '10.0.0.4', hostname: 'db1' },
];

describe('vmMatcher', () => {
  const match = vmMatcher(vms);

  it('tries the Nagios host name, then the address, then the seed hostname as either, then as a hostname', () => {
    expect(match({ hostName: 'db1', address: '10.0.0.1', hostname: 'x' })).toBe(2);
    expect(match({ hostName: 'nope', address: '10.0.0.1', hostname: 'db1' })).toBe(1);
    expect(match({ hostName: null, address: null, hostname: 'db1' })).toBe(2); // a Nagios name before VM 4's hostname
    expect(match({ hostName: null, address: null, hostname: '10.0.0.9' })).toBe(4);
    expect(match({ hostName: null, address: null, hostname: '10.0.0.4' })).toBe(4);
    expect(match({ hostName: null, address: null, hostname: 'db1.acme.example' })).toBe(2);
    expect(match({ hostName: null, address: null, hostname: 'unknown' })).toBeNull();
  });

  it('gives the first VM in the list where several share a name', () => {
    expect(match({ hostName: 'web1', address: null, hostname: 'x' })).toBe(1);
    expect(match({ hostName: null, address: '10.0.0.2', hostname: 'x' })).toBe(2);
    expect(match({ hostName: null, address: null, hostname: 'web1.acme.example' })).toBe(1);
  });

  it('is what matchVm answers for one event, and knows nothing with no candidates', () => {
    expect(matchVm({ hostName: null, address: '10.0.0.4', hostname: 'x' }, vms)).toBe(4);
    expect(vmMatcher([])({ hostName: 'web1', address: '10.0.0.1', hostname: 'web1' })).toBeNull();
  });
});
