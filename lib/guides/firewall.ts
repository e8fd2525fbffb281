import { isIP } from 'node:net';
import { z } from 'zod';
import type { GuideStep } from './guide-step';
import { GuideInputError, ipAddressSchema, listSchema, parseOrThrow } from './net-schemas';
import type { Release } from './releases';

export const firewallSettingsSchema = z.object({
  monitorIps: listSchema(ipAddressSchema, 'list at least one monitor address'),
});

export type FirewallSettingsInput = z.input<typeof firewallSettingsSchema>;

export interface FirewallVm {
  /** The VM's own addresses; decide which address families get rules. */
  addresses: string[];
  /** Picks how rules survive a reboot; the modern way when absent. */
  release?: Release;
}

export type PersistenceMethod = 'ifupdown' | 'netfilter-persistent';

export interface FirewallGuide {
  ipv4Monitors: string[];
  ipv6Monitors: string[];
  iptables: {
    /** The seed's pristine-box firewall, with the monitor rules before the DROP. */
    baseline: string[];
    /** The seed's rule for a box that already has that firewall (position 4 is just before its DROP). */
    monitorRules: string[];
  };
  nftables: { path: string; ruleset: string; monitorCommands: string[]; steps: GuideStep[] };
  ufw: { steps: GuideStep[] };
  persistence: { method: PersistenceMethod; steps: GuideStep[] };
  notes: string[];
}

export const NFTABLES_CONF = '/etc/nftables.conf';
export const UFW_BEFORE_RULES = '/etc/ufw/before.rules';
export const UFW_BEFORE6_RULES = '/etc/ufw/before6.rules';
/** ufw's stock lines: they answer ping from anyone. */
export const UFW_DEFAULT_ECHO = '-A ufw-before-input -p icmp --icmp-type echo-request -j ACCEPT';
export const UFW6_DEFAULT_ECHO = '-A ufw6-before-input -p icmpv6 --icmpv6-type echo-request -j ACCEPT';

// IPv6 stops working without neighbour discovery, which conntrack doesn't count as ESTABLISHED.
const ND_TYPES = ['neighbour-solicitation', 'neighbour-advertisement', 'router-advertisement'];

/** Releases before 17.10 configure the network with ifupdown (/etc/network/interfaces). */
export function usesIfupdown(release: Release): boolean {
  const [major = 0, minor = 0] = release.version.split('.').map(Number);
  return major * 100 + minor < 1710;
}

function v4MonitorRule(ip: string, how: '-A INPUT' | '-I INPUT 4'): string {
  return `sudo iptables ${how} -s ${ip} -p icmp -m icmp --icmp-type 8 -j ACCEPT`;
}

function v6MonitorRule(ip: string, how: '-A INPUT' | '-I INPUT 4'): string {
  return `sudo ip6tables ${how} -s ${ip} -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j ACCEPT`;
}

/** Per-VM firewall instructions that let our monitoring ping through. */
export function firewallGuide(vm: FirewallVm, input: FirewallSettingsInput): FirewallGuide {
  const { monitorIps } = parseOrThrow(firewallSettingsSchema, input, 'monitoring settings');
  const addresses = parseOrThrow(
    z.array(ipAddressSchema).min(1, 'the VM needs at least one address'),
    vm.addresses,
    'VM addresses',
  );
  const vmHas4 = addresses.some((a) => isIP(a) === 4);
  const vmHas6 = addresses.some((a) => isIP(a) === 6);
  const all4 = monitorIps.filter((ip) => isIP(ip) === 4);
  const all6 = monitorIps.filter((ip) => isIP(ip) === 6);
  const v4 = vmHas4 ? all4 : [];
  const v6 = vmHas6 ? all6 : [];
  if (v4.length === 0 && v6.length === 0) {
    throw new GuideInputError(
      `None of the monitor addresses (${monitorIps.join(', ')}) is of a family this VM has (${addresses.join(', ')}).`,
    );
  }

  const notes = [
    'Keep your SSH session open while you change the firewall, and check that the ssh rule is in place before anything that drops traffic, or you may lock yourself out.',
    'Use one of these tools, not several: iptables, nftables and ufw all drive the same kernel firewall and their rules would mix.',
    "Older guides write -m state --state; the -m conntrack --ctstate used here means the same.",
  ];
  if (!vmHas6 && all6.length > 0) {
    notes.push(`This VM has no IPv6 address, so the IPv6 monitor (${all6.join(', ')}) needs no rule.`);
  }
  if (!vmHas4 && all4.length > 0) {
    notes.push(`This VM has no IPv4 address, so the IPv4 monitor (${all4.join(', ')}) needs no rule.`);
  }

  const baseline = ['sudo apt-get install iptables'];
  if (vmHas4) {
    baseline.push(
      'sudo iptables -A INPUT -i lo -j ACCEPT',
      'sudo iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      'sudo iptables -A INPUT -p tcp --dport ssh -j ACCEPT',
      ...v4.map((ip) => v4MonitorRule(ip, '-A INPUT')),
      'sudo iptables -A INPUT -j DROP',
    );
  }
  if (vmHas6) {
    baseline.push(
      'sudo ip6tables -A INPUT -i lo -j ACCEPT',
      'sudo ip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      'sudo ip6tables -A INPUT -p tcp --dport ssh -j ACCEPT',
      ...v6.map((ip) => v6MonitorRule(ip, '-A INPUT')),
      ...ND_TYPES.map((t) => `sudo ip6tables -A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type ${t} -j ACCEPT`),
      'sudo ip6tables -A INPUT -j DROP',
    );
    notes.push('The ip6tables rules also accept neighbour and router advertisements: IPv6 does not work without them.');
  }
  const monitorRules = [...v4.map((ip) => v4MonitorRule(ip, '-I INPUT 4')), ...v6.map((ip) => v6MonitorRule(ip, '-I INPUT 4'))];
  notes.push(
    'The -I INPUT 4 rules fit the baseline above (lo, established, ssh, then DROP). If your chain differs, list it with "sudo iptables -L INPUT -n --line-numbers" and insert the rule before your DROP.',
  );

  return {
    ipv4Monitors: v4,
    ipv6Monitors: v6,
    iptables: { baseline, monitorRules },
    nftables: nftables(v4, v6, vmHas6),
    ufw: { steps: ufw(v4, v6) },
    persistence: persistence(vm.release, vmHas4, vmHas6, notes),
    notes,
  };
}

function nftables(v4: string[], v6: string[], vmHas6: boolean): FirewallGuide['nftables'] {
  const monitorLines = [
    ...v4.map((ip) => `ip saddr ${ip} icmp type echo-request accept`),
    ...v6.map((ip) => `ip6 saddr ${ip} icmpv6 type echo-request accept`),
  ];
  const rules = [
    'iif "lo" accept',
    'ct state established,related accept',
    'tcp dport 22 accept',
    ...monitorLines,
    ...(vmHas6 ? ['icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept'] : []),
  ];
  const ruleset = [
    '#!/usr/sbin/nft -f',
    '',
    'flush ruleset',
    '',
    'table inet filter {',
    '\tchain input {',
    '\t\ttype filter hook input priority 0; policy drop;',
    ...rules.map((r) => `\t\t${r}`),
    '\t}',
    '}',
    '',
  ].join('\n');
  return {
    path: NFTABLES_CONF,
    ruleset,
    // "insert" without a position puts the rule first, so before any drop.
    monitorCommands: monitorLines.map((l) => `sudo nft insert rule inet filter input ${l}`),
    steps: [
      {
        title: 'Write the ruleset',
        text: `Replace ${NFTABLES_CONF} with the ruleset above. It starts with "flush ruleset", which removes every other rule, so merge in any rules of your own.`,
        commands: ['sudo apt-get install nftables', `sudo nano -w ${NFTABLES_CONF}`],
      },
      {
        title: 'Load it now and at every boot',
        commands: [`sudo nft -f ${NFTABLES_CONF}`, 'sudo systemctl enable nftables'],
      },
      {
        title: 'Or add only the monitor rule to a running nftables firewall',
        text: `This assumes the stock "table inet filter" with chain "input"; add the same line to ${NFTABLES_CONF} so it survives a reboot.`,
        commands: monitorLines.map((l) => `sudo nft insert rule inet filter input ${l}`),
      },
    ],
  };
}

function ufw(v4: string[], v6: string[]): GuideStep[] {
  const steps: GuideStep[] = [
    {
      title: 'If ufw is not enabled yet: allow SSH, then enable it',
      commands: ['sudo ufw allow ssh', 'sudo ufw enable'],
    },
  ];
  const why =
    "ufw has no command-line syntax for ICMP; its stock rules answer ping from anyone. To answer only our monitor, replace that line with these. (If you'd rather answer everyone, leave it: our monitor is then allowed already.)";
  // The same edit in ufw's IPv4 and IPv6 rule files.
  const allowPing = (path: string, replaces: string, lines: string[]): GuideStep => ({
    title: `Allow our monitor's ping in ${path}`,
    text: `${why} Keep the lines in the "ok icmp codes for INPUT" block.`,
    commands: [`sudo nano -w ${path}`],
    edit: { path, replaces, lines },
  });
  if (v4.length > 0) {
    steps.push(
      allowPing(UFW_BEFORE_RULES, UFW_DEFAULT_ECHO, v4.map((ip) => `-A ufw-before-input -p icmp --icmp-type echo-request -s ${ip} -j ACCEPT`)),
    );
  }
  if (v6.length > 0) {
    steps.push(
      allowPing(UFW_BEFORE6_RULES, UFW6_DEFAULT_ECHO, v6.map((ip) => `-A ufw6-before-input -p icmpv6 --icmpv6-type echo-request -s ${ip} -j ACCEPT`)),
    );
  }
  steps.push({
    title: 'Reload ufw',
    text: 'ufw keeps its rules across reboots by itself.',
    commands: ['sudo ufw reload'],
  });
  return steps;
}

function persistence(
  release: Release | undefined,
  has4: boolean,
  has6: boolean,
  notes: string[],
): FirewallGuide['persistence'] {
  if (release && usesIfupdown(release)) {
    const save = [
      ...(has4 ? ['sudo sh -c "iptables-save -c > /etc/iptables.rules"'] : []),
      ...(has6 ? ['sudo sh -c "ip6tables-save -c > /etc/ip6tables.rules"'] : []),
    ];
    return {
      method: 'ifupdown',
      steps: [
        { title: 'Save the rules', text: 'Do this again after every change.', commands: save },
        {
          title: 'Load them at boot and save them at shutdown',
          text: 'Add these lines to the stanza of your network interface (e.g. under "iface eth0 inet static") in /etc/network/interfaces.',
          commands: ['sudo nano -w /etc/network/interfaces'],
          edit: {
            path: '/etc/network/interfaces',
            lines: [
              ...(has4 ? ['pre-up    iptables-restore < /etc/iptables.rules'] : []),
              ...(has6 ? ['pre-up    ip6tables-restore < /etc/ip6tables.rules'] : []),
              ...(has4 ? ['post-down iptables-save -c > /etc/iptables.rules'] : []),
              ...(has6 ? ['post-down ip6tables-save -c > /etc/ip6tables.rules'] : []),
            ],
          },
        },
      ],
    };
  }
  if (!release) {
    notes.push(
      'On releases before Ubuntu 17.10, which use /etc/network/interfaces, save the rules with iptables-save to /etc/iptables.rules and load them with a pre-up line instead.',
    );
  }
  const files = [...(has4 ? ['/etc/iptables/rules.v4'] : []), ...(has6 ? ['/etc/iptables/rules.v6'] : [])];
  return {
    method: 'netfilter-persistent',
    steps: [
      {
        title: 'Install iptables-persistent',
        text: 'During the install it offers to save the current rules: say yes.',
        commands: ['sudo apt-get install iptables-persistent'],
      },
      {
        title: 'Save the rules after every change',
        text: `This writes ${files.join(' and ')}, which are loaded at boot.`,
        commands: ['sudo netfilter-persistent save'],
      },
    ],
  };
}

export type ReachabilityStatus = 'reachable' | 'unreachable' | 'no-data';

export interface Reachability {
  status: ReachabilityStatus;
  message: string;
}

/** What the latest Nagios host state says about the ping rule. */
export function monitoringReachability(latestHostState: string | null | undefined): Reachability {
  const state = latestHostState?.trim().toUpperCase() ?? '';
  switch (state) {
    case 'UP':
      return { status: 'reachable', message: 'Our monitoring reaches this VM: the ping rule works.' };
    case 'DOWN':
    case 'UNREACHABLE':
      return {
        status: 'unreachable',
        message:
          `Our monitoring can't reach this VM (${state}). It is probably down, or its firewall blocks our monitor's ping: ` +
          'check that the rule above is in place and comes before your DROP rule (sudo iptables -L INPUT -n --line-numbers).',
      };
    case '':
      return {
        status: 'no-data',
        message: 'No monitoring data for this VM yet; it appears after the first check, a few minutes after the rule is in place.',
      };
    default:
      return { status: 'no-data', message: `Unknown monitoring state "${latestHostState}"; no hint available.` };
  }
}
