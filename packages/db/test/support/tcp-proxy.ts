import { createConnection, createServer, type Socket } from 'node:net';
import { once } from 'node:events';

/** FOR TESTS ONLY. A loopback TCP proxy in front of a database, to stall or break the connections to it. */
export interface TcpProxy {
  /** The loopback port the proxy listens on. */
  readonly port: number;
  /** `url` (a postgresql:// URL) pointing at the proxy instead. */
  via(url: string): string;
  /**
   * Stops forwarding, as a network that goes silent: what either side sends is held. Data
   * towards the database stops at once; answers the database already produced still reach the
   * server for `drainMs` (default 0), so that a statement the database received before the
   * stall is answered (see the stall test for why).
   */
  pause(options?: { drainMs?: number }): void;
  /** Forwards what was held, in order, and everything after. */
  resume(): void;
  /** Destroys every open connection, both sides (new ones are forwarded as usual). */
  cut(): void;
  close(): Promise<void>;
}

/** One proxied connection: the server's socket and ours to the database, with what is held for each. */
interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly toUpstream: Buffer[];
  readonly toClient: Buffer[];
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let upstreamPaused = false;
  let downstreamPaused = false;
  let drainTimer: NodeJS.Timeout | undefined;

  const flush = (pair: Pair) => {
    if (!upstreamPaused) for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk);
    if (!downstreamPaused) for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  };

  const server = createServer((client) => {
    const upstream = createConnection(target);
    const pair: Pair = { client, upstream, toUpstream: [], toClient: [] };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (upstreamPaused) pair.toUpstream.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (downstreamPaused) pair.toClient.push(chunk);
      else client.write(chunk);
    });
    // A side that goes away takes the other with it; what was held for it is dropped, as a
    // stalled network drops the packets of a connection its sender has given up on.
    const end = () => {
      pairs.delete(pair);
      pair.toUpstream.length = 0;
      pair.toClient.length = 0;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');

  return {
    port: address.port,
    via(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(address.port);
      return proxied.toString();
    },
    pause({ drainMs = 0 } = {}) {
      upstreamPaused = true;
      clearTimeout(drainTimer);
      if (drainMs === 0) downstreamPaused = true;
      else drainTimer = setTimeout(() => (downstreamPaused = upstreamPaused), drainMs);
    },
    resume() {
      clearTimeout(drainTimer);
      upstreamPaused = false;
      downstreamPaused = false;
      for (const pair of pairs) flush(pair);
    },
    cut() {
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
    },
    async close() {
      clearTimeout(drainTimer);
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      server.close();
    },
  };
}
