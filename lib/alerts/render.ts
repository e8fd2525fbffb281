import type { OutgoingMessage } from '../notify/channels/types';
import type { AlertEvent } from './decide';
import { isRecovery, isUrgent } from './decide';
import type { Rule } from './rule';
import { formatDateTime } from '../vms/time-format';

// A message in the detail the rule chose. Summary is for anyone: plain words, no internal addresses,
// Nagios host names or plugin output. Technical has everything Nagios said.

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
// Hex groups and colons; a clock time (10:02:33) has too few colons and no "::".
const IPV6 = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
const isIpv6 = (s: string) => s.includes('::') || s.split(':').length > 4;

/** Removes IP literals and the Nagios host name from text a summary shows. */
export function redact(text: string, e: Pick<AlertEvent, 'nagiosHostName' | 'address' | 'vmName'>): string {
  let out = text.replace(IPV4, '[address]').replace(IPV6, (m) => (isIpv6(m) ? '[address]' : m));
  if (e.nagiosHostName && e.nagiosHostName !== e.vmName) out = out.split(e.nagiosHostName).join('[server]');
  return out;
}

const PLAIN: Record<string, string> = {
  OK: 'is OK again',
  UP: 'is up again',
  WARNING: 'needs attention (warning)',
  CRITICAL: 'has a critical problem',
  UNKNOWN: 'could not be checked',
  DOWN: 'is down: it does not answer',
  UNREACHABLE: 'cannot be reached: the network path to it is down',
};

const NEXT_STEP: Record<string, string> = {
  WARNING: 'Have a look soon; it is not an outage yet.',
  CRITICAL: 'Please look now: this affects the service.',
  UNKNOWN: 'The check itself failed; if it persists, tell support.',
  DOWN: 'Check the VM in the portal; if you did not stop it, tell support.',
  UNREACHABLE: 'This may be our network: support has been told by monitoring too.',
};

const what = (e: AlertEvent) => (e.kind === 'host' ? e.vmName : `${e.service} on ${e.vmName}`);
/** "2026-12-02 10:02 UTC+1": the one way Porthole writes a time, in the account's zone. */
const clock = (d: Date, zone = 'UTC') => formatDateTime(d, zone);

function summaryLine(e: AlertEvent): string {
  return `${what(e)} ${PLAIN[e.state] ?? `is ${e.state}`} (since ${clock(e.occurredAt, e.timeZone)}).`;
}

function technicalLines(e: AlertEvent): string[] {
  return [
    `${e.kind === 'host' ? 'HOST' : 'SERVICE'} ${e.state} ${e.stateType} (attempt ${e.attempt} of ${e.maxAttempts}) at ${new Date(e.occurredAt).toISOString()}`,
    `Host: ${e.nagiosHostName ?? e.vmName}${e.address ? ` (${e.address})` : ''}${e.kind === 'service' ? `  Service: ${e.service}` : ''}`,
    ...(e.output ? [`Output: ${e.output}`] : []),
    ...(e.perfdata ? [`Perfdata: ${e.perfdata}`] : []),
  ];
}

export interface RenderOptions {
  ruleName: string;
  portalUrl: string;
  vmUrl: (vmId: number) => string;
  idempotencyKey: string;
}

export function renderMessage(detail: Rule['detail'], events: AlertEvent[], o: RenderOptions): OutgoingMessage {
  const first = events[0]!;
  const urgent = events.some((e) => isUrgent(e.state));
  const url = o.vmUrl(first.vmId);
  const one = events.length === 1;
  const vms = [...new Set(events.map((e) => e.vmName))];
  const subject = one
    ? detail === 'summary'
      ? `${what(first)} ${PLAIN[first.state] ?? `is ${first.state}`}`
      : `${first.state}: ${first.kind === 'host' ? first.nagiosHostName ?? first.vmName : `${first.service} on ${first.nagiosHostName ?? first.vmName}`}`
    : `${events.length} alerts on ${vms.length === 1 ? vms[0] : `${vms.length} VMs`}`;
  const blocks = events.map((e) =>
    detail === 'summary' ? [summaryLine(e), ...(isRecovery(e.state) ? [] : [NEXT_STEP[e.state] ?? ''])].filter(Boolean).join(' ') : technicalLines(e).join('\n'),
  );
  const text = [...blocks.map((b) => (detail === 'summary' ? redact(b, first) : b)), '', `Details: ${url}`, `Rule: ${o.ruleName}`].join(one ? '\n' : '\n\n');
  const shortBase = one ? (detail === 'summary' ? summaryLine(first) : `${subject} ${first.output ?? ''}`.trim()) : `${subject}: ${events.map((e) => `${e.service || e.vmName} ${e.state}`).join(', ')}`;
  const short = shortBase.length > 160 ? `${shortBase.slice(0, 157)}...` : shortBase;
  const data: Record<string, unknown> = {
    rule: o.ruleName,
    detail,
    events: events.map((e) => ({
      eventId: e.eventId,
      vm: { id: e.vmId, name: e.vmName },
      service: e.service === '' ? null : e.service,
      state: e.state,
      occurredAt: new Date(e.occurredAt).toISOString(),
      ...(detail === 'technical'
        ? { stateType: e.stateType, attempt: e.attempt, maxAttempts: e.maxAttempts, output: e.output, perfdata: e.perfdata, hostName: e.nagiosHostName, address: e.address }
        : {}),
    })),
  };
  return { idempotencyKey: o.idempotencyKey, subject: detail === 'summary' ? redact(subject, first) : subject, text, short: detail === 'summary' ? redact(short, first) : short, url, data, urgent };
}
