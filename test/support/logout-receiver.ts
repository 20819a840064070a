import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How a receiver path answers: 200 at once, 500 on the first POST only, 200 after a delay, or
 * 503 to every POST (an RP that is down).
 */
export type Behaviour = 'ok' | 'fail-once' | 'slow' | 'down';

export interface Received {
  readonly path: string;
  readonly contentType: string;
  readonly token: string;
  readonly at: number;
}

export type LogoutReceiver = Awaited<ReturnType<typeof startLogoutReceiver>>;

/**
 * An RP's back-channel logout endpoint (Back-Channel Logout 1.0 2.5), one path per RP, on
 * loopback: records every POST and answers as its path's behaviour says.
 */
export async function startLogoutReceiver(behaviours: Record<string, Behaviour>) {
  const received: Received[] = [];
  const readBody = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? '';
      const body = await readBody(request);
      received.push({
        path,
        contentType: String(request.headers['content-type']),
        token: new URLSearchParams(body).get('logout_token') ?? '',
        at: Date.now(),
      });
      const behaviour = behaviours[path] ?? 'ok';
      const seen = received.filter((r) => r.path === path).length;
      if (behaviour === 'down' || (behaviour === 'fail-once' && seen === 1)) {
        response.writeHead(behaviour === 'down' ? 503 : 500).end();
        return;
      }
      if (behaviour === 'slow') await sleep(4_000);
      response.writeHead(200, { 'cache-control': 'no-store' }).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received: (path: string) => received.filter((r) => r.path === path),
    /** Requests whose path (query included) starts with `prefix`. */
    receivedUnder: (prefix: string) => received.filter((r) => r.path.startsWith(prefix)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
