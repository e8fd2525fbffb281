import { NextRequest } from 'next/server';
import { jsonError, vmReadRoute } from '@/lib/api/handler';
import { hasLiveSession, hasSessionCookie } from '@/lib/auth/sessions-gate';
import { getDb } from '@/lib/db';
import { eventsInIdRange, latestEventId } from '@/lib/db/queries/vm-events';
import { eventToJson } from '@/lib/vms/history';
import { LiveCursor } from '@/lib/vms/live';

// GET /api/v1/vms/:id/stream?after=ID — server-sent events: each new state change of the VM as
// `event: monitoring` with the event's JSON (as in /events), `id:` its id. The server looks for new rows
// every 2 s (no extra infrastructure: one primary-key range per poll). The stream ends after a few
// minutes; EventSource reconnects with Last-Event-ID, which also re-checks the login.

export const dynamic = 'force-dynamic';

const POLL_MS = 2_000;
const HEARTBEAT_MS = 15_000;
const LIFETIME_MS = 5 * 60_000;
/** A stream opened with a session cookie ends within this long of the session's end (logout, revocation). */
const SESSION_RECHECK_MS = 30_000;
/** A client that was away longer than this many events starts from the present instead. */
const MAX_CATCH_UP = 5_000;

function startId(raw: string | null): number | null | 'bad' {
  if (raw === null || raw === '') return null;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : 'bad';
}

export const GET = vmReadRoute<{ id: string }>(async (request, _user, vm) => {
  const db = getDb();
  const requested = startId(request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('after'));
  if (requested === 'bad') return jsonError(400, 'after: expected an event id (a whole number)');
  const latest = await latestEventId(db);
  const cursor = new LiveCursor(Math.max(requested ?? latest, latest - MAX_CATCH_UP));

  // Basic and trusted-proxy callers are checked again when EventSource reconnects (LIFETIME_MS).
  const session = hasSessionCookie(request) ? new NextRequest(request) : null;
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      stop = () => {
        if (closed) return;
        closed = true;
        clearTimeout(timer);
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
      let sessionCheckedAt = Date.now();

      const poll = async () => {
        if (closed) return;
        if (session && Date.now() - sessionCheckedAt >= SESSION_RECHECK_MS) {
          sessionCheckedAt = Date.now();
          // A dead session ends the stream; the reconnect then gets 401.
          if (!(await hasLiveSession(session).catch(() => true))) return stop();
        }
        try {
          const max = await latestEventId(db);
          const events = await eventsInIdRange(db, [vm.id], cursor.scanFrom, max);
          for (const e of events) {
            if (!cursor.claim(e.id)) continue;
            send(`id: ${e.id}\nevent: monitoring\ndata: ${JSON.stringify(eventToJson(e, vm.hostname))}\n\n`);
            lastSent = Date.now();
          }
          cursor.observe(max, Date.now());
        } catch (error) {
          send(`event: problem\ndata: ${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n\n`);
        }
        if (Date.now() - lastSent > HEARTBEAT_MS) {
          send(': keep-alive\n\n');
          lastSent = Date.now();
        }
        if (Date.now() - started > LIFETIME_MS) stop();
        else if (!closed) timer = setTimeout(() => void poll(), POLL_MS);
      };
      send(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ vm: vm.id, after: cursor.scanFrom })}\n\n`);
      timer = setTimeout(() => void poll(), POLL_MS);
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
