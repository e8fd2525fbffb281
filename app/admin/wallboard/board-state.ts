// The wallboard's decisions, pure (the board component renders them; board-state.test.ts checks them):
// what the alarm is doing, how long to wait after a failed poll, how a problem is worded.
import type { WallboardProblem, WallboardSnapshot } from '@/lib/admin/wallboard';
import { formatDuration } from '@/lib/monitoring/duration';

export const SNAPSHOT_URL = '/api/v1/admin/wallboard';
export const ACK_URL = '/api/v1/admin/wallboard/acks';
/** A little over the server's WALLBOARD_INTERVAL_MS (2 s): each poll finds a snapshot at most that old. */
export const POLL_MS = 2500;
/** Retries back off to this and stay there, for as long as it takes. */
export const MAX_RETRY_MS = 30_000;
/** A request that hangs (a half-open connection after a network change) is abandoned and retried. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** The server takes at most this many acknowledgements per request (MAX_ACKS_PER_REQUEST). */
export const ACK_CHUNK = 100;
export const MUTE_MINUTES = [5, 15, 60] as const;
export const MUTE_STORAGE_KEY = 'porthole.wallboard.mutedUntil';
/** A stored mute further ahead than the longest choice is not one this board set: ignored. */
const MAX_MUTE_MS = 60 * 60_000;
/** The alarm's tones repeat this often while it sounds. */
export const BEEP_EVERY_MS = 2000;

/** An AudioContext's state, or 'none' before one exists. */
export type AudioStatus = 'none' | AudioContextState | 'interrupted';
export type AlarmState = 'sounding' | 'silent' | 'muted' | 'needs-gesture';

/**
 * What the alarm does now. Muting wins (nothing would play anyway); without a running AudioContext
 * nothing can play, so the board asks for the click browsers require; otherwise it sounds while any
 * problem is an unacknowledged alarm.
 */
export function alarmState(input: { alarms: number; audio: AudioStatus; mutedUntil: number | null; now: number }): AlarmState {
  if (input.mutedUntil !== null && input.mutedUntil > input.now) return 'muted';
  if (input.audio !== 'running') return 'needs-gesture';
  return input.alarms > 0 ? 'sounding' : 'silent';
}

/** The wait before retry number `failures` (1, 2, …): 1 s doubling to 30 s, ±20% so boards do not retry in step. */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, 1000 * 2 ** Math.min(Math.max(failures, 1) - 1, 16));
  return Math.round(Math.min(MAX_RETRY_MS, base * (0.8 + 0.4 * random())));
}

/** How long a problem has lasted, in the portal's words: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function lastedWords(since: string, now: number): string {
  const seconds = Math.max(0, (now - Date.parse(since)) / 1000);
  // Seconds only while there is nothing bigger to say: the board is read from across the room.
  return formatDuration(seconds >= 60 ? Math.floor(seconds / 60) * 60 : Math.floor(seconds), 2);
}

/** A mute read back from localStorage: a time still ahead and no further than the longest choice. */
export function readMute(raw: string | null, now: number): number | null {
  if (raw === null || !/^[0-9]{1,15}$/.test(raw)) return null;
  const until = Number(raw);
  return until > now && until <= now + MAX_MUTE_MS + 60_000 ? until : null;
}

export const alarmsOf = (snapshot: WallboardSnapshot | null): WallboardProblem[] => snapshot?.problems.filter((p) => p.alarm) ?? [];

/** "2 DOWN · 5 CRITICAL · 12 WARNING", worst first, or null when all is well. */
export function headline(snapshot: WallboardSnapshot): string | null {
  const order = ['DOWN', 'UNREACHABLE', 'CRITICAL', 'UNKNOWN', 'WARNING'] as const;
  const parts = order.filter((s) => (snapshot.counts[s] ?? 0) > 0).map((s) => `${snapshot.counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The body that acknowledges these problems (the server checks each is still current). */
export const ackBody = (problems: readonly WallboardProblem[]) => ({ problems: problems.map((p) => ({ vmId: p.vmId, service: p.service, since: p.since })) });

export type Connection =
  | { kind: 'live'; at: number }
  | { kind: 'retrying'; failures: number; retryAt: number; lastOkAt: number | null; reason: string }
  | { kind: 'signed-out'; retryAt: number }
  | { kind: 'forbidden'; retryAt: number };

/** The status line under the board's title. */
export function connectionWords(c: Connection, now: number, clock: (ms: number) => string): string {
  const wait = (at: number) => `${Math.max(0, Math.ceil((at - now) / 1000))} s`;
  switch (c.kind) {
    case 'live':
      return `Live · updated ${clock(c.at)}`;
    case 'retrying':
      return `Connection lost, retrying in ${wait(c.retryAt)} (attempt ${c.failures}; ${c.reason})${c.lastOkAt === null ? '' : ` · last update ${clock(c.lastOkAt)}`}`;
    case 'signed-out':
      return `The session has ended: log in again in this browser; the board keeps trying (next in ${wait(c.retryAt)}).`;
    case 'forbidden':
      return `This login is not staff (any more); the board keeps trying (next in ${wait(c.retryAt)}).`;
  }
}
