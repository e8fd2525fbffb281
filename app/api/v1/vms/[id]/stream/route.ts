import { NextRequest } from 'next/server';
import { jsonError, vmReadRoute } from '@/lib/api/handler';
import { hasLiveSession, hasSessionCookie } from '@/lib/auth/sessions-gate';
import { getDb } from '@/lib/db';
import { isCustomer } from '@/lib/auth/current-user';
import { eventToJson } from '@/lib/vms/history';
import { type VmUpdate, liveHub } from '@/lib/vms/live-hub';
import { type LiveDelta, availabilityRow, stateRow, timelineRow } from '@/lib/vms/live-view';
import { TIME_ZONE_COOKIE, resolveTimeZone } from '@/lib/vms/time-zone';

// GET /api/v1/vms/:id/stream?after=ID — server-sent events: each new state change of the VM as
// `event: monitoring` with the event's JSON (as in /events), `id:` its id. New rows come from the
// process's one shared poller (lib/vms/live-hub.ts: a few queries every 2 s however many streams are
// open). The stream ends after a few minutes; EventSource reconnects with Last-Event-ID, which also
// re-checks the login and the account.
//
// &view=page (the VM page): instead, `event: delta` with what changed, worded for this viewer
// (lib/vms/live-view.ts: the new timeline rows, the changed current states and availability rows, the
// worst state), so the page updates those parts in place; &soft=1 as on the page.

export const dynamic = 'force-dynamic';

const HEARTBEAT_MS = 15_000;
const LIFETIME_MS = 5 * 60_000;
/** A stream opened with a session cookie ends within this long of the session's end (logout, revocation). */
const SESSION_RECHECK_MS = 30_000;

/** Deltas already worded, per update the shared poller handed out and per view: streams of the same view share one. */
const WORDED = new WeakMap<VmUpdate, Map<string, string>>();

function cookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === name) return decodeURIComponent(part.slice(eq + 1));
  }
  return undefined;
}

function startId(raw: string | null): number | null | 'bad' {
  if (raw === null || raw === '') return null;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : 'bad';
}

export const GET = vmReadRoute<{ id: string }>(async (request, user, vm) => {
  const url = new URL(request.url);
  const requested = startId(request.headers.get('last-event-id') ?? url.searchParams.get('after'));
  if (requested === 'bad') return jsonError(400, 'after: expected an event id (a whole number)');
  const pageView = url.searchParams.get('view') === 'page';
  const hardOnly = url.searchParams.get('soft') !== '1';
  // As the page words it: staff read the technical detail, a customer the level they chose.
  const staffView = !(isCustomer(user) && user.accountId === vm.accountId);
  const view = { timeZone: resolveTimeZone(cookie(request, TIME_ZONE_COOKIE)), detail: staffView ? 'technical' : user.detailLevel, hostname: vm.hostname } as const;

  // Basic and trusted-proxy callers are checked again when EventSource reconnects (LIFETIME_MS).
  const session = hasSessionCookie(request) ? new NextRequest(request) : null;
  const encoder = new TextEncoder();
  const hub = liveHub(getDb());
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      // Timers only: the database is read by the shared poller, the session every SESSION_RECHECK_MS.
      const timer: ReturnType<typeof setInterval> = setInterval(() => void tick(), 1_000);
      let unsubscribe: (() => void) | null = null;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        unsubscribe?.();
        request.signal.removeEventListener('abort', stop);
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      request.signal.addEventListener('abort', stop);
      const started = Date.now();
      let lastSent = Date.now();
      // The first re-check at a random point of the interval, so streams opened together do not check together.
      let sessionCheckedAt = Date.now() - Math.random() * SESSION_RECHECK_MS;

      const deliver = (update: VmUpdate) => {
        const newest = update.events[update.events.length - 1]!.id;
        if (pageView) {
          const key = `${view.timeZone}|${view.detail}`;
          let worded = WORDED.get(update);
          if (!worded) WORDED.set(update, (worded = new Map()));
          const known = worded.get(key);
          if (known !== undefined) {
            send(known);
            lastSent = Date.now();
            return;
          }
          const newestFirst = [...update.events].reverse();
          const previous = [...update.previous].reverse();
          const delta: LiveDelta = {
            rows: newestFirst.map((e, i) => timelineRow(e, previous[i], view)),
            states: update.states.map((st) => stateRow(st, view.timeZone)),
            availability: update.availability.map((r) => availabilityRow(r, update.sla)),
            worst: update.worst,
          };
          const text = `id: ${newest}\nevent: delta\ndata: ${JSON.stringify(delta)}\n\n`;
          worded.set(key, text);
          send(text);
        } else {
          for (const e of update.events) send(`id: ${e.id}\nevent: monitoring\ndata: ${JSON.stringify(eventToJson(e, vm.hostname))}\n\n`);
        }
        lastSent = Date.now();
      };

      async function tick() {
        if (closed) return;
        if (session && Date.now() - sessionCheckedAt >= SESSION_RECHECK_MS) {
          sessionCheckedAt = Date.now();
          // A dead session ends the stream; the reconnect then gets 401.
          if (!(await hasLiveSession(session).catch(() => true))) return stop();
        }
        if (Date.now() - lastSent > HEARTBEAT_MS) {
          send(': keep-alive\n\n');
          lastSent = Date.now();
        }
        if (Date.now() - started > LIFETIME_MS) stop();
      }

      const onStart = (after: number) => send(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ vm: vm.id, after })}\n\n`);
      hub.subscribe(vm, { after: requested, hardOnly, onStart }, deliver).then(
        (end) => {
          if (closed) end();
          else unsubscribe = end;
        },
        (error: unknown) => {
          send(`event: problem\ndata: ${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n\n`);
          stop();
        },
      );
    },
    cancel() {
      stop();
    },
  });

  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // Proxies (nginx) must pass events through as they come.
      'X-Accel-Buffering': 'no',
    },
  });
});
