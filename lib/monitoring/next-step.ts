// A next step for every problem a customer sees: what the state means in plain words and what they can
// do about it. Pure: the support contact is passed in by the page (lib/config/support.ts).
import { stateSeverity } from './severity';
import type { MonitoringState } from './wire';

export interface ProblemInput {
  /** null for the host itself. */
  service: string | null;
  state: MonitoringState | string;
  stateType?: 'HARD' | 'SOFT';
}

export interface NextStep {
  /** Who it is about: "The VM" or the service's name. */
  subject: string;
  /** What the state means, in plain words. */
  meaning: string;
  /** What the customer can do now. */
  action: string;
  /** Whether the customer should contact support if it goes on (always offered when it is not theirs to fix). */
  contactSupport: boolean;
  severity: 'critical' | 'warning' | 'unknown';
}

type Topic = 'disk' | 'load' | 'memory' | 'web' | 'mail' | 'ssh' | 'database' | 'ping' | 'other';

function topicOf(service: string): Topic {
  const s = service.toLowerCase();
  if (/disk|filesystem|\bfs\b|inode|partition/.test(s)) return 'disk';
  if (/load|cpu/.test(s)) return 'load';
  if (/mem|swap|ram\b/.test(s)) return 'memory';
  if (/http|web|https|ssl|tls|cert|nginx|apache/.test(s)) return 'web';
  if (/smtp|mail|imap|pop|mx\b|postfix/.test(s)) return 'mail';
  if (/ssh/.test(s)) return 'ssh';
  if (/mysql|maria|postgres|sql|database|redis/.test(s)) return 'database';
  if (/ping|icmp|rtt|packet/.test(s)) return 'ping';
  return 'other';
}

const TOPIC_WORDS: Record<Topic, { critical: string; warning: string; action: string }> = {
  disk: {
    critical: 'a disk is full or nearly full: programs that write to it (logs, databases, uploads) may fail.',
    warning: 'a disk is filling up and will need room soon.',
    action: 'Free space (old logs, backups, package caches such as apt-get clean) or move to a plan with a larger disk.',
  },
  load: {
    critical: 'the VM is so busy that it answers slowly or not at all.',
    warning: 'the VM is busier than usual; it may answer slowly.',
    action: 'Look for a process using the processor (top or htop on the VM); if the load is normal for your work, a larger plan helps.',
  },
  memory: {
    critical: 'the VM is running out of memory: programs may be stopped or the VM may slow down badly.',
    warning: 'memory is getting short.',
    action: 'Look for a process using much memory (top on the VM) and restart it, or move to a plan with more memory.',
  },
  web: {
    critical: 'your website or its certificate does not answer as it should: visitors may see an error.',
    warning: 'your website answers slowly or its certificate expires soon.',
    action: 'Open the site in a browser; check that the web server runs (systemctl status nginx or apache2) and that the certificate is renewed.',
  },
  mail: {
    critical: 'your mail server does not answer: mail to you may be delayed (our backup MX keeps it for a while, if you use it).',
    warning: 'your mail server answers slowly or with a problem.',
    action: 'Check that the mail server runs (systemctl status postfix) and that its disk is not full.',
  },
  ssh: {
    critical: 'logging in to the VM over SSH does not work right now.',
    warning: 'SSH answers slowly.',
    action: 'Try to log in; if you cannot, use the console your plan offers, or contact support.',
  },
  database: {
    critical: 'your database does not answer: applications that use it fail.',
    warning: 'your database answers slowly.',
    action: 'Check that the database server runs (systemctl status mysql or postgresql) and that its disk is not full.',
  },
  ping: {
    critical: 'the network path to the VM loses many packets or is very slow.',
    warning: 'the network path to the VM is slower than usual.',
    action: 'If it goes on, contact support: the cause may be on our side.',
  },
  other: {
    critical: 'this check found a serious problem.',
    warning: 'this check found something that needs attention soon.',
    action: 'Look at the check’s output on the VM page; it usually names what is wrong.',
  },
};

/** The next step for one host or service that is not OK; null when it is OK/UP or has no data. */
export function nextStep(p: ProblemInput): NextStep | null {
  const state = p.state;
  if (state === 'OK' || state === 'UP' || !isKnownState(state)) return null;
  const soft = p.stateType === 'SOFT';
  const unconfirmed = soft ? ' Monitoring is checking again to confirm it; nothing may be needed if it clears by itself.' : '';
  if (p.service === null) {
    if (state === 'DOWN') {
      return {
        subject: 'The VM',
        meaning: `The VM does not answer our monitoring: it may be switched off, stuck or cut off from the network, so its websites and services are not reachable.${unconfirmed}`,
        action: 'If you just restarted or shut it down, wait a few minutes. Otherwise check that its firewall still lets our monitoring servers in (Monitoring firewall page), and contact support if it stays down.',
        contactSupport: true,
        severity: 'critical',
      };
    }
    // UNREACHABLE, or a service state on a host row (should not happen): the path to it, not the VM.
    return {
      subject: 'The VM',
      meaning: `Monitoring cannot reach the VM because a network device in between is down; the VM itself may be fine.${unconfirmed}`,
      action: 'Nothing to do on the VM: this is usually on our side. Contact support if it lasts more than a few minutes.',
      contactSupport: true,
      severity: 'critical',
    };
  }
  const topic = TOPIC_WORDS[topicOf(p.service)];
  if (state === 'UNKNOWN' || state === 'UNREACHABLE') {
    return {
      subject: p.service,
      meaning: `This check could not be run, so we do not know whether it is fine: the check itself failed, timed out or could not reach the VM.${unconfirmed}`,
      action: 'Check that the VM is up and that its firewall lets our monitoring servers in (Monitoring firewall page); contact support if it goes on.',
      contactSupport: true,
      severity: 'unknown',
    };
  }
  const critical = state === 'CRITICAL' || state === 'DOWN';
  return {
    subject: p.service,
    meaning: `${critical ? 'Critical' : 'Warning'}: ${critical ? topic.critical : topic.warning}${unconfirmed}`,
    action: topic.action,
    contactSupport: critical,
    severity: critical ? 'critical' : 'warning',
  };
}

function isKnownState(s: string): s is MonitoringState {
  return ['OK', 'UP', 'WARNING', 'CRITICAL', 'UNKNOWN', 'DOWN', 'UNREACHABLE'].includes(s);
}

/** Next steps for a VM's problems, worst first: the host's first (a host that is down explains the rest). */
export function nextSteps(problems: readonly ProblemInput[]): NextStep[] {
  return [...problems]
    .filter((p) => isKnownState(String(p.state)))
    .sort((a, b) => {
      if ((a.service === null) !== (b.service === null)) return a.service === null ? -1 : 1;
      const d = stateSeverity(b.state as MonitoringState) - stateSeverity(a.state as MonitoringState);
      if (d !== 0) return d;
      return (a.service ?? '').localeCompare(b.service ?? '');
    })
    .map(nextStep)
    .filter((s): s is NextStep => s !== null);
}

/** What a VM with no check result at all means. */
export const NO_DATA_STEP: NextStep = {
  subject: 'The VM',
  meaning: 'No check result has arrived for this VM yet, so we cannot say whether it is fine. A new VM shows its first results within a few minutes.',
  action: 'If the VM is older than an hour, check that its firewall lets our monitoring servers in (Monitoring firewall page), then contact support.',
  contactSupport: true,
  severity: 'unknown',
};
