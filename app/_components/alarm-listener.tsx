'use client';

import { useEffect, useRef, useState } from 'react';
import { useHydrated } from './use-hydrated';

interface Alarm {
  id: number;
  subject: string | null;
  state: string;
  at: string;
}

/** Two falling tones, made with Web Audio: no sound file to load on a slow link. */
function beep(context: AudioContext, urgent: boolean) {
  const start = context.currentTime;
  for (const [i, freq] of (urgent ? [880, 660, 880, 660] : [660, 440]).entries()) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.2, start + i * 0.25);
    gain.gain.exponentialRampToValueAtTime(0.001, start + i * 0.25 + 0.22);
    osc.connect(gain).connect(context.destination);
    osc.start(start + i * 0.25);
    osc.stop(start + i * 0.25 + 0.24);
  }
}

/**
 * The audible alarm: rules that choose it sound here while the dashboard is open. Browsers play sound
 * only after a click on the page, so the alarm is armed with a button; what arrived is also shown.
 */
export function AlarmListener({ intervalMs = 15_000 }: { intervalMs?: number }) {
  const hydrated = useHydrated();
  const [armed, setArmed] = useState(false);
  const [latest, setLatest] = useState<Alarm[]>([]);
  const audio = useRef<AudioContext | null>(null);
  const after = useRef<number | null>(null);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch(`/api/v1/alerts/alarms?after=${after.current ?? 0}`, { cache: 'no-store' });
        if (!response.ok) return;
        const { alarms } = (await response.json()) as { alarms: Alarm[] };
        const first = after.current === null;
        if (alarms.length > 0) after.current = Math.max(...alarms.map((a) => a.id));
        else if (first) after.current = 0;
        // Alarms from before the page opened are listed, not sounded.
        if (!stopped && alarms.length > 0) {
          setLatest((previous) => [...alarms, ...previous].slice(0, 5));
          if (!first && audio.current) beep(audio.current, alarms.some((a) => a.state === 'CRITICAL' || a.state === 'DOWN'));
        }
      } catch {
        // Offline for a moment: the next poll tries again.
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), intervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [intervalMs]);

  return (
    <section aria-label="Audible alarm" className="small" hidden={!hydrated}>
      <button
        type="button"
        className="secondary"
        aria-pressed={armed}
        onClick={() => {
          if (armed) {
            void audio.current?.close();
            audio.current = null;
          } else {
            audio.current = new AudioContext();
            beep(audio.current, false);
          }
          setArmed(!armed);
        }}
      >
        {armed ? 'Alarm sound on (click to mute)' : 'Turn on the alarm sound'}
      </button>
      {latest.length > 0 && (
        <ul aria-live="polite">
          {latest.map((a) => (
            <li key={a.id}>
              {a.subject} <span className="muted">({new Date(a.at).toLocaleTimeString()})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
