// stompcat: prints every message on a destination, like the seed's stompcat.rb (`>>> <body>` per
// message; `--raw` prints the body alone). Reconnects when the broker goes away. A message is acked
// only after it was written, so `--count N` never swallows the N+1th message of a queue.
import type { IMessage } from '@stomp/stompjs';
import { hostname } from 'node:os';
import { describeEndpoint } from '../stomp/broker-url';
import { createStompClient } from '../stomp/connect';
import { BROKER_HELP, DESTINATION_HELP, USAGE, parseBroker, parseCliEnv, parseDestination } from './args';
import { type CliMain, EXIT_OK, stderrLogger, usageError } from './run';

const NAME = 'stompcat';

export const stompcatMain: CliMain = async (io) => {
  const usage = USAGE[NAME];
  let raw = false;
  let count: number | null = null;
  const positional: string[] = [];
  for (let i = 0; i < io.argv.length; i++) {
    const arg = io.argv[i]!;
    if (arg === '--') {
      positional.push(...io.argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      await io.stdout([usage, BROKER_HELP, DESTINATION_HELP, '  --raw      print only the message body', '  --count N  exit after N messages'].join('\n') + '\n');
      return EXIT_OK;
    }
    if (arg === '--raw') raw = true;
    else if (arg === '--count' || arg.startsWith('--count=')) {
      const value = arg === '--count' ? io.argv[++i] : arg.slice('--count='.length);
      if (value === undefined || !/^\d{1,9}$/.test(value) || Number(value) < 1) return usageError(io, NAME, '--count needs a positive integer', usage);
      count = Number(value);
    } else if (arg.startsWith('-') && arg !== '-') return usageError(io, NAME, `unknown option ${arg}`, usage);
    else positional.push(arg);
  }
  if (positional.length !== 2) return usageError(io, NAME, `expected BROKER and DESTINATION, got ${positional.length} argument(s)`, usage, BROKER_HELP, DESTINATION_HELP);
  const broker = parseBroker(positional[0]);
  if (!broker.ok) return usageError(io, NAME, broker.error, usage, BROKER_HELP);
  const destination = parseDestination(positional[1]);
  if (!destination.ok) return usageError(io, NAME, destination.error, usage, DESTINATION_HELP);
  const env = parseCliEnv(io.env, hostname());
  if (!env.ok) return usageError(io, NAME, env.error, usage);
  const log = stderrLogger(NAME, io);

  let written = 0;
  let acked = 0;
  let stopping = false;
  let current = '';
  let connected = false;
  const client = createStompClient(broker.value, {
    connectTimeoutMs: env.value.connectTimeoutMs,
    reconnectDelayMs: 1_000,
    maxReconnectDelayMs: 10_000,
    onAttempt: (endpoint) => (current = describeEndpoint(endpoint)),
  });

  return new Promise<number>((resolve) => {
    const stop = () => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void client.deactivate().then(() => resolve(EXIT_OK));
    };
    // Acked only once written: what is not printed (stopping, --count reached, stdout gone) stays on
    // the queue for the next consumer.
    const onMessage = (message: IMessage) => {
      if (stopping || (count !== null && written >= count)) return;
      written += 1;
      void io.stdout(raw ? `${message.body}\n` : `>>> ${message.body}\n`).then((ok) => {
        if (!ok) return stop();
        if (!client.connected) return; // lost meanwhile: the broker redelivers it
        message.ack();
        acked += 1;
        if (count !== null && acked >= count) stop();
      });
    };
    client.onConnect = () => {
      connected = true;
      log(`connected to ${current}, reading ${destination.value}`);
      client.subscribe(destination.value, onMessage, { ack: 'client-individual' });
    };
    client.onStompError = (frame) => log(`broker ERROR from ${current}: ${frame.headers.message ?? 'no message'}`);
    client.onWebSocketClose = () => {
      if (stopping) return;
      log(connected ? `lost the connection to ${current}; reconnecting` : `cannot connect to ${current}; retrying`);
      connected = false;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    client.activate();
  });
};
