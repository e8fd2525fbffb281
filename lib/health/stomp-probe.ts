import net from 'node:net';

/**
 * Opens a STOMP session and closes it: proves the broker answers, not just its socket.
 * Resolves on CONNECTED, rejects with the broker's or the socket's error text.
 */
export function probeStomp(
  endpoint: { host: string; port: number; login?: string; passcode?: string },
  timeoutMs = 2000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    let reply = '';
    const finish = (error?: Error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no STOMP answer from ${endpoint.host}:${endpoint.port} in ${timeoutMs} ms`)));
    socket.once('error', (error) => finish(new Error(`${endpoint.host}:${endpoint.port}: ${error.message}`)));
    socket.once('connect', () => {
      const auth = endpoint.login ? `login:${endpoint.login}\npasscode:${endpoint.passcode ?? ''}\n` : '';
      socket.write(`CONNECT\naccept-version:1.2\nhost:${endpoint.host}\n${auth}\n\0`);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (!reply.includes('\0')) return;
      if (reply.startsWith('CONNECTED')) {
        socket.end('DISCONNECT\n\n\0');
        finish();
      } else {
        const message = /message:([^\n]*)/.exec(reply)?.[1] ?? reply.split('\n')[0];
        finish(new Error(`broker refused the session: ${message}`));
      }
    });
  });
}
