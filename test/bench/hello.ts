/**
 * The baseline: Fastify's hello world, started pinned to the server's core so that discovery and
 * JWKS can be compared with the least work Fastify itself does per request. Listens on the port
 * given as the first argument and prints "ready" once it does.
 */
import Fastify from 'fastify';

// tsx turns source maps on; the servers measured run without them.
process.setSourceMapsEnabled(false);

const port = Number(process.argv[2]);
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write('ready\n');
// SIGTERM from the driver: close the listener so the process (and a --cpu-prof profile) ends cleanly.
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
