'use client';

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { NagiosText } from '@/app/_components/nagios-text';
import type { WallboardProblem, WallboardSnapshot } from '@/lib/admin/wallboard';
import {
  ACK_CHUNK,
  ACK_URL,
  type AudioStatus,
  BEEP_EVERY_MS,
  type Connection,
  MUTE_MINUTES,
  MUTE_STORAGE_KEY,
  POLL_MS,
  REQUEST_TIMEOUT_MS,
  SNAPSHOT_URL,
  ackBody,
  alarmState,
  alarmsOf,
  chunk,
  connectionWords,
  headline,
  lastedWords,
  readMute,
  retryDelay,
} from './board-state';
import styles from './wallboard.module.css';

/** Falling tones made with Web Audio (as the dashboard's alarm, app/_components/alarm-listener.tsx): nothing to download. */
function beep(context: AudioContext) {
  const start = context.currentTime;
  for (const [i, freq] of [880, 660, 880, 660].entries()) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.25, start + i * 0.25);
    gain.gain.exponentialRampToValueAtTime(0.001, start + i * 0.25 + 0.22);
    osc.connect(gain).connect(context.destination);
    osc.start(start + i * 0.25);
    osc.stop(start + i * 0.25 + 0.24);
  }
}

// The mute lives in localStorage, so that it survives a reload and is shared by the browser's tabs.
const muteListeners = new Set<() => void>();
function subscribeMute(listener: () => void) {
  muteListeners.add(listener);
  const storage = (e: StorageEvent) => {
    if (e.key === MUTE_STORAGE_KEY) listener();
  };
  window.addEventListener('storage', storage);
  return () => {
    muteListeners.delete(listener);
    window.removeEventListener('storage', storage);
  };
}
/** Mutes this browser's boards for `minutes` (null: unmutes); returns the time it did so. */
function storeMute(minutes: number | null): number {
  const at = Date.now();
  if (minutes === null) localStorage.removeItem(MUTE_STORAGE_KEY);
  else localStorage.setItem(MUTE_STORAGE_KEY, String(at + minutes * 60_000));
  for (const listener of muteListeners) listener();
  return at;
}
const noSubscription = () => () => undefined;

const clock = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const subject = (p: WallboardProblem) => (p.service === '' ? 'Host' : p.service);

/**
 * The wallboard: every current problem, worst first, large enough to read across a room. Polls the
 * snapshot API (ETag, so an unchanged board costs a 304), backs off while the server is unreachable
 * and never stops trying. While an unacknowledged HARD CRITICAL or DOWN exists it sounds an alarm, on
 * every board, until someone acknowledges it on one of them (audited); each board can be muted.
 * Rendered on the server first: without JavaScript it shows the problems as they were.
 */
export function Wallboard({ initial, serverNow }: { initial: WallboardSnapshot | null; serverNow: string }) {
  const [snapshot, setSnapshot] = useState<WallboardSnapshot | null>(initial);
  // This computer's clock, ticking; the first render (and hydration) uses the server's render time.
  const [localNow, setLocalNow] = useState(() => Date.parse(serverNow));
  // Durations are counted on the server's clock: the client's corrected by each answer's Date header.
  const [skew, setSkew] = useState(0);
  const now = localNow + skew;
  const [connection, setConnection] = useState<Connection>(() =>
    initial ? { kind: 'live', at: Date.parse(serverNow) } : { kind: 'retrying', failures: 1, retryAt: Date.parse(serverNow), lastOkAt: null, reason: 'the database did not answer' },
  );
  // False on the server and while hydrating: the controls need JavaScript, so they appear with it.
  const ready = useSyncExternalStore(noSubscription, () => true, () => false);
  const [audio, setAudio] = useState<AudioStatus>('none');
  const mutedUntil = readMute(
    useSyncExternalStore(subscribeMute, () => localStorage.getItem(MUTE_STORAGE_KEY), () => null),
    localNow,
  );
  const [fullscreen, setFullscreen] = useState(false);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const [beeps, setBeeps] = useState(0);
  const board = useRef<HTMLDivElement>(null);
  const context = useRef<AudioContext | null>(null);
  const version = useRef<string | null>(initial?.version ?? null);
  const readAt = useRef(initial ? Date.parse(initial.readAt) : 0);
  const pollSoon = useRef<() => void>(() => undefined);

  // Adopts a snapshot unless an older one arrives late (an acknowledgement's answer and a poll crossing).
  const adopt = useCallback((next: WallboardSnapshot) => {
    const at = Date.parse(next.readAt);
    if (at < readAt.current) return;
    readAt.current = at;
    version.current = next.version;
    setSnapshot(next);
  }, []);

  // ---- live updates: poll, back off while failing, never give up
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = initial ? 0 : 1;
    let lastOkAt: number | null = initial ? Date.parse(serverNow) : null;
    let running = false;
    const schedule = (ms: number) => {
      clearTimeout(timer);
      if (!stopped) timer = setTimeout(() => void tick(), ms);
    };
    const failed = (kind: 'retrying' | 'signed-out' | 'forbidden', reason: string) => {
      failures += 1;
      const delay = retryDelay(failures);
      const retryAt = Date.now() + delay;
      setConnection(kind === 'retrying' ? { kind, failures, retryAt, lastOkAt, reason } : { kind, retryAt });
      return delay;
    };
    const tick = async () => {
      if (running) return;
      running = true;
      let next = POLL_MS;
      const abort = new AbortController();
      const timeout = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
      try {
        const response = await fetch(SNAPSHOT_URL, {
          cache: 'no-store',
          headers: { Accept: 'application/json', ...(version.current ? { 'If-None-Match': `"${version.current}"` } : {}) },
          signal: abort.signal,
        });
        const date = Date.parse(response.headers.get('date') ?? '');
        // Whole seconds: a skew under 2 s is noise from the header's resolution.
        if (Number.isFinite(date)) setSkew((old) => (Math.abs(date - Date.now() - old) > 2000 ? date - Date.now() : old));
        if (response.status === 304 || response.ok) {
          if (response.status !== 304) adopt((await response.json()) as WallboardSnapshot);
          failures = 0;
          lastOkAt = Date.now();
          setConnection({ kind: 'live', at: lastOkAt });
        } else if (response.status === 401) {
          next = failed('signed-out', 'not logged in');
        } else if (response.status === 403) {
          next = failed('forbidden', 'not staff');
        } else {
          next = failed('retrying', `the server answered ${response.status}`);
        }
      } catch (error) {
        next = failed('retrying', abort.signal.aborted ? 'no answer within 10 s' : navigator.onLine === false ? 'this computer is offline' : 'the server cannot be reached');
        void error;
      } finally {
        clearTimeout(timeout);
        running = false;
        if (!stopped) schedule(next);
      }
    };
    pollSoon.current = () => schedule(0);
    const online = () => schedule(0);
    // A laptop waking up, or a tab coming back: ask now rather than after the remaining backoff.
    const visible = () => {
      if (!document.hidden) schedule(0);
    };
    window.addEventListener('online', online);
    document.addEventListener('visibilitychange', visible);
    schedule(initial ? POLL_MS : 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', visible);
    };
    // The first render's props only: later renders carry the same board.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // ---- the clock for durations, retry countdowns and a mute that runs out
  useEffect(() => {
    const timer = setInterval(() => setLocalNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  // ---- sound: a context that may start by itself (a kiosk that allows autoplay), else after a click
  useEffect(() => {
    const Context = window.AudioContext as typeof AudioContext | undefined;
    if (Context) {
      const ctx = new Context();
      context.current = ctx;
      const update = () => setAudio(ctx.state as AudioStatus);
      ctx.addEventListener('statechange', update);
      // Running already when the browser allows sound without a click (a kiosk's autoplay policy).
      void Promise.resolve().then(update);
    }
    const fullscreenChange = () => setFullscreen(document.fullscreenElement === board.current && board.current !== null);
    document.addEventListener('fullscreenchange', fullscreenChange);
    return () => {
      document.removeEventListener('fullscreenchange', fullscreenChange);
      void context.current?.close();
      context.current = null;
    };
  }, []);

  const alarms = alarmsOf(snapshot);
  const alarm = alarmState({ alarms: alarms.length, audio, mutedUntil, now: localNow });

  // ---- the alarm itself: tones every BEEP_EVERY_MS while it sounds
  useEffect(() => {
    if (alarm !== 'sounding' || !context.current) return;
    const ctx = context.current;
    const play = () => {
      if (ctx.state !== 'running') return;
      beep(ctx);
      setBeeps((n) => n + 1);
    };
    play();
    const timer = setInterval(play, BEEP_EVERY_MS);
    return () => clearInterval(timer);
  }, [alarm]);

  // ---- the screen stays on while the board is fullscreen
  useEffect(() => {
    if (!fullscreen || !('wakeLock' in navigator)) return;
    let lock: WakeLockSentinel | null = null;
    let stopped = false;
    const request = () => {
      if (document.hidden) return;
      navigator.wakeLock.request('screen').then(
        (l) => {
          if (stopped) void l.release();
          else lock = l;
        },
        () => undefined, // refused (battery saver, policy): the board still works
      );
    };
    request();
    document.addEventListener('visibilitychange', request);
    return () => {
      stopped = true;
      document.removeEventListener('visibilitychange', request);
      void lock?.release();
    };
  }, [fullscreen]);

  const startSound = () => {
    let ctx = context.current;
    if (!ctx || ctx.state === 'closed') {
      ctx = new AudioContext();
      context.current = ctx;
      const created = ctx;
      created.addEventListener('statechange', () => setAudio(created.state as AudioStatus));
    }
    const started = ctx;
    void started.resume().then(() => setAudio(started.state as AudioStatus));
  };

  const mute = (minutes: number | null) => setLocalNow(storeMute(minutes));

  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void board.current?.requestFullscreen().catch(() => setNotice('This browser refused fullscreen.'));
  };

  const acknowledge = async (problems: readonly WallboardProblem[]) => {
    const keys = problems.map((p) => p.key);
    setPending((current) => new Set([...current, ...keys]));
    setNotice(null);
    try {
      for (const part of chunk(problems, ACK_CHUNK)) {
        const response = await fetch(ACK_URL, {
          method: 'POST',
          cache: 'no-store',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(ackBody(part)),
        });
        const body = (await response.json().catch(() => ({}))) as { error?: string; snapshot?: WallboardSnapshot | null; gone?: number };
        if (!response.ok) throw new Error(body.error ?? `the server answered ${response.status}`);
        if (body.snapshot) adopt(body.snapshot);
        if (body.gone) setNotice(`${body.gone === 1 ? 'One problem has' : `${body.gone} problems have`} changed meanwhile and ${body.gone === 1 ? 'was' : 'were'} not acknowledged.`);
      }
    } catch (error) {
      setNotice(`Not acknowledged: ${error instanceof Error ? error.message : 'the server cannot be reached'}. Try again.`);
    } finally {
      setPending((current) => new Set([...current].filter((k) => !keys.includes(k))));
      pollSoon.current();
    }
  };

  const problems = snapshot?.problems ?? [];
  const title = snapshot ? headline(snapshot) : null;
  const statusClass = connection.kind === 'live' ? styles.live : styles.lost;

  return (
    <div
      ref={board}
      className={`${styles.board} ${alarms.length > 0 ? styles.alarming : ''}`}
      data-testid="wallboard"
      data-alarm={alarm}
      data-audio={audio}
      data-alarms={alarms.length}
      data-beeps={beeps}
      data-live={connection.kind}
      data-ready={ready ? 'true' : 'false'}
      data-version={snapshot?.version ?? ''}
    >
      <div className={styles.head}>
        <h1 className={styles.title}>Wallboard</h1>
        <p className={styles.headline} aria-live="polite">
          {snapshot === null ? 'No data yet' : (title ?? 'All clear: no open problems')}
        </p>
        {ready && (
          <div className={styles.controls} role="group" aria-label="Board controls">
            {audio !== 'running' && (
              <button type="button" onClick={startSound}>
                Start sound
              </button>
            )}
            {alarm === 'muted' && mutedUntil !== null ? (
              <button type="button" className="secondary" onClick={() => mute(null)}>
                Unmute (muted until {new Date(mutedUntil).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })})
              </button>
            ) : (
              MUTE_MINUTES.map((m) => (
                <button key={m} type="button" className="secondary" onClick={() => mute(m)}>
                  Mute {m} min
                </button>
              ))
            )}
            {alarms.length > 0 && (
              <button type="button" onClick={() => void acknowledge(alarms)} disabled={alarms.every((p) => pending.has(p.key))}>
                Acknowledge all alarms ({alarms.length})
              </button>
            )}
            {document.fullscreenEnabled && (
              <button type="button" className="secondary" onClick={toggleFullscreen}>
                {fullscreen ? 'Exit fullscreen' : 'Fullscreen'}
              </button>
            )}
          </div>
        )}
        <p className={`${styles.connection} ${statusClass}`} role="status">
          {ready ? connectionWords(connection, localNow, clock) : `As of ${snapshot ? snapshot.readAt.slice(11, 19) : serverNow.slice(11, 19)} UTC`}
          {connection.kind === 'signed-out' && (
            <>
              {' '}
              <a href="/login?callbackUrl=%2Fadmin%2Fwallboard">Log in</a>
            </>
          )}
        </p>
        {ready && alarm === 'needs-gesture' && alarms.length > 0 && <p className={styles.warning}>The alarm cannot sound until someone presses “Start sound”.</p>}
        {notice && (
          <p className={styles.warning} role="alert">
            {notice}
          </p>
        )}
        <noscript>
          <p className={styles.warning}>Without JavaScript this board does not update, sound or acknowledge: reload it for the current state.</p>
        </noscript>
      </div>
      {problems.length > 0 && (
        <ol className={styles.list} aria-label="Open problems, worst first">
          {problems.map((p) => (
            <li
              key={p.key}
              className={`${styles.row} ${styles[`state${p.state}`] ?? ''} ${p.ack ? styles.acked : ''} ${p.alarm ? styles.alarm : ''}`}
              data-testid="wallboard-problem"
              data-state={p.state}
              data-alarm={p.alarm ? 'true' : 'false'}
              data-acknowledged={p.ack ? 'true' : 'false'}
            >
              <span className={styles.state}>
                {p.state}
                {p.stateType === 'SOFT' && <span className={styles.soft}> soft {p.attempt}/{p.maxAttempts}</span>}
              </span>
              <span className={styles.subject}>
                <strong>
                  <NagiosText text={subject(p)} />
                </strong>{' '}
                on <NagiosText text={p.hostname} />
                <span className={styles.account}>
                  {' '}
                  · <NagiosText text={p.accountName} />
                </span>
              </span>
              <span className={styles.lasted}>
                <time dateTime={p.since}>for {lastedWords(p.since, now)}</time>
              </span>
              <span className={styles.ack}>
                {p.ack ? (
                  <span>Acknowledged by {p.ack.by}</span>
                ) : (
                  ready && (
                    <button type="button" className={p.alarm ? undefined : 'secondary'} onClick={() => void acknowledge([p])} disabled={pending.has(p.key)}>
                      Acknowledge
                    </button>
                  )
                )}
              </span>
              {p.output && (
                <span className={styles.output}>
                  <NagiosText text={p.output} />
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
