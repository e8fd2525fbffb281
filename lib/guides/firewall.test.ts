import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firewallGuide, monitoringReachability, usesIfupdown } from './firewall';
import { GuideInputError } from './net-schemas';
import { findRelease, loadShippedReleases, type Release } from './releases';

const releases = loadShippedReleases();
function release(series: string): Release {
  const r = findRelease(releases, series);
  if (!r) throw new Error(`fixture: no release ${series}`);
  return r;
}

function golden(name: string): string {
  return readFileSync(new URL(`./__golden__/${name}`, import.meta.url), 'utf8');
}

function script(lines: string[]): string {
  return lines.join('\n') + '\n';
}

// The seed's monitor, and a documentation IPv6 address for the second family.
const V4_MONITOR = '193.219.108.245';
const V6_MONITOR = '2001:db8:1::245';
const settings = { monitorIps: [V4_MONITOR, V6_MONITOR] };

describe('firewallGuide with an IPv4 monitor', () => {
  const guide = firewallGuide({ addresses: ['192.0.2.50'], release: release('hardy') }, settings);

  it("gives the seed's rule, shaped exactly like it", () => {
    expect(guide.iptables.monitorRules).toEqual([
      'sudo iptables -I INPUT 4 -s 193.219.108.245 -p icmp -m icmp --icmp-type 8 -j ACCEPT',
    ]);
    expect(guide.ipv4Monitors).toEqual([V4_MONITOR]);
    expect(guide.ipv6Monitors).toEqual([]);
  });

  it('puts the monitor rule into the pristine-box baseline before the DROP', () => {
    expect(script(guide.iptables.baseline)).toEqual(golden('firewall-ipv4-baseline.sh'));
  });

  it('notes that the IPv6 monitor is not needed on an IPv4-only VM', () => {
    expect(guide.notes).toContain('This VM has no IPv6 address, so the IPv6 monitor (2001:db8:1::245) needs no rule.');
  });

  it("keeps the rules across reboots the seed's way on 8.04", () => {
    expect(guide.persistence).toEqual({
      method: 'ifupdown',
      steps: [
        {
          title: 'Save the rules',
          text: 'Do this again after every change.',
          commands: ['sudo sh -c "iptables-save -c > /etc/iptables.rules"'],
        },
        {
          title: 'Load them at boot and save them at shutdown',
          text: 'Add these lines to the stanza of your network interface (e.g. under "iface eth0 inet static") in /etc/network/interfaces.',
          commands: ['sudo nano -w /etc/network/interfaces'],
          edit: {
            path: '/etc/network/interfaces',
            lines: ['pre-up    iptables-restore < /etc/iptables.rules', 'post-down iptables-save -c > /etc/iptables.rules'],
          },
        },
      ],
    });
  });

  it('gives the ufw before.rules line in place of the stock echo-request line', () => {
    expect(guide.ufw.steps.map((s) => s.edit)).toEqual([
      undefined,
      {
        path: '/etc/ufw/before.rules',
        replaces: '-A ufw-before-input -p icmp --icmp-type echo-request -j ACCEPT',
        lines: ['-A ufw-before-input -p icmp --icmp-type echo-request -s 193.219.108.245 -j ACCEPT'],
      },
      undefined,
    ]);
    expect(guide.ufw.steps.map((s) => s.commands)).toEqual([
      ['sudo ufw allow ssh', 'sudo ufw enable'],
      ['sudo nano -w /etc/ufw/before.rules'],
      ['sudo ufw reload'],
    ]);
  });

  it('gives the nftables insert command', () => {
    expect(guide.nftables.monitorCommands).toEqual([
      'sudo nft insert rule inet filter input ip saddr 193.219.108.245 icmp type echo-request accept',
    ]);
    expect(guide.nftables.ruleset).not.toContain('icmpv6');
  });
});

describe('firewallGuide with IPv4 and IPv6 monitors on a dual-stack VM', () => {
  const guide = firewallGuide({ addresses: ['192.0.2.50', '2001:DB8:1::50'], release: release('noble') }, settings);

  it('adds the ip6tables ICMPv6 echo-request rule', () => {
    expect(guide.iptables.monitorRules).toEqual([
      'sudo iptables -I INPUT 4 -s 193.219.108.245 -p icmp -m icmp --icmp-type 8 -j ACCEPT',
      'sudo ip6tables -I INPUT 4 -s 2001:db8:1::245 -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j ACCEPT',
    ]);
  });

  it('builds both baselines, IPv6 with neighbour discovery', () => {
    expect(script(guide.iptables.baseline)).toEqual(golden('firewall-dual-baseline.sh'));
  });

  it('writes an nftables ruleset for both families', () => {
    expect(guide.nftables.path).toBe('/etc/nftables.conf');
    expect(guide.nftables.ruleset).toEqual(golden('firewall-dual.nft'));
    expect(guide.nftables.monitorCommands).toEqual([
      'sudo nft insert rule inet filter input ip saddr 193.219.108.245 icmp type echo-request accept',
      'sudo nft insert rule inet filter input ip6 saddr 2001:db8:1::245 icmpv6 type echo-request accept',
    ]);
  });

  it('gives the ufw before6.rules line', () => {
    expect(guide.ufw.steps.find((s) => s.edit?.path === '/etc/ufw/before6.rules')?.edit).toEqual({
      path: '/etc/ufw/before6.rules',
      replaces: '-A ufw6-before-input -p icmpv6 --icmpv6-type echo-request -j ACCEPT',
      lines: ['-A ufw6-before-input -p icmpv6 --icmpv6-type echo-request -s 2001:db8:1::245 -j ACCEPT'],
    });
  });

  it('keeps the rules with netfilter-persistent on a modern release', () => {
    expect(guide.persistence).toEqual({
      method: 'netfilter-persistent',
      steps: [
        {
          title: 'Install iptables-persistent',
          text: 'During the install it offers to save the current rules: say yes.',
          commands: ['sudo apt-get install iptables-persistent'],
        },
        {
          title: 'Save the rules after every change',
          text: 'This writes /etc/iptables/rules.v4 and /etc/iptables/rules.v6, which are loaded at boot.',
          commands: ['sudo netfilter-persistent save'],
        },
      ],
    });
  });
});

describe('firewallGuide input handling', () => {
  it('uses the modern way with a hint about old releases when the release is unknown', () => {
    const guide = firewallGuide({ addresses: ['192.0.2.50'] }, { monitorIps: '193.219.108.245, 2001:db8:1::245' });
    expect(guide.persistence.method).toBe('netfilter-persistent');
    expect(guide.notes.some((n) => n.startsWith('On releases before Ubuntu 17.10'))).toBe(true);
  });

  it('splits the ifupdown and netplan eras at 17.10', () => {
    expect(usesIfupdown(release('zesty'))).toBe(true);
    expect(usesIfupdown(release('artful'))).toBe(false);
  });

  it.each([
    [{ monitorIps: ['193.219.108.245', 'monitor.example.net'] }, ['192.0.2.50'], 'Invalid monitoring settings: monitorIps.1: "monitor.example.net" is not an IPv4 or IPv6 address'],
    [{ monitorIps: ['193.219.108.0/24'] }, ['192.0.2.50'], '"193.219.108.0/24" is not an IPv4 or IPv6 address'],
    [{ monitorIps: [] }, ['192.0.2.50'], 'monitorIps: list at least one monitor address'],
    [{ monitorIps: '' }, ['192.0.2.50'], 'monitorIps: list at least one monitor address'],
    [settings, ['192.0.2.300'], 'Invalid VM addresses: 0: "192.0.2.300" is not an IPv4 or IPv6 address'],
    [settings, [], 'Invalid VM addresses: the VM needs at least one address'],
    [{ monitorIps: [V6_MONITOR] }, ['192.0.2.50'], 'None of the monitor addresses (2001:db8:1::245) is of a family this VM has (192.0.2.50).'],
  ])('rejects bad input %#', (input, addresses, message) => {
    expect(() => firewallGuide({ addresses }, input)).toThrow(GuideInputError);
    expect(() => firewallGuide({ addresses }, input)).toThrow(message);
  });
});

describe('monitoringReachability', () => {
  it('UP: the monitor reaches the VM', () => {
    expect(monitoringReachability('UP')).toEqual({
      status: 'reachable',
      message: 'Our monitoring reaches this VM: the ping rule works.',
    });
  });

  it.each(['DOWN', 'UNREACHABLE', 'down'])('%s: probably down or blocked', (state) => {
    const hint = monitoringReachability(state);
    expect(hint.status).toBe('unreachable');
    expect(hint.message).toContain(`can't reach this VM (${state.toUpperCase()})`);
    expect(hint.message).toContain('check that the rule above is in place');
  });

  it.each([null, undefined, ''])('%j: no data yet', (state) => {
    expect(monitoringReachability(state).status).toBe('no-data');
    expect(monitoringReachability(state).message).toMatch(/^No monitoring data for this VM yet/);
  });

  it('says so for a state it does not know', () => {
    expect(monitoringReachability('PENDING')).toEqual({ status: 'no-data', message: 'Unknown monitoring state "PENDING"; no hint available.' });
  });
});
