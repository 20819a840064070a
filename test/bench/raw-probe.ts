import { performance } from 'node:perf_hooks';
import { createScratchDatabase, openDatabase, type Provider } from '@idp/db';
process.setSourceMapsEnabled(false);
const provider = (process.argv[2] ?? 'sqlite') as Provider;
const scratch = await createScratchDatabase(provider);
const db = await openDatabase(scratch.url);
await db.migrate();
const p = db.prisma;
async function cost(name: string, seconds: number, call: () => Promise<unknown>) {
  for (let i = 0; i < 200; i += 1) await call();
  const cpu = process.cpuUsage(); const start = performance.now(); let count = 0;
  while (performance.now() - start < seconds * 1000) { await call(); count += 1; }
  const used = process.cpuUsage(cpu);
  console.log(provider, name.padEnd(40), ((used.user + used.system) / count).toFixed(0), 'µs CPU', (((performance.now() - start) * 1000) / count).toFixed(0), 'µs wall');
}
let i = 0;
await cost('raw select 1', 1, () => p.$queryRaw`SELECT 1`);
await cost('raw insert', 1, () => p.$executeRaw`INSERT INTO "RevokedAccessToken" ("jti","expiresAt","createdAt") VALUES (${'a' + i++}, ${new Date()}, ${new Date()})`);
await cost('batch tx [insert, insert]', 1, () => p.$transaction([p.$executeRaw`INSERT INTO "RevokedAccessToken" ("jti","expiresAt","createdAt") VALUES (${'b' + i++}, ${new Date()}, ${new Date()})`, p.$executeRaw`INSERT INTO "RevokedAccessToken" ("jti","expiresAt","createdAt") VALUES (${'c' + i++}, ${new Date()}, ${new Date()})`]));
await cost('interactive tx [insert, insert]', 1, () => p.$transaction(async (tx) => { await tx.$executeRaw`INSERT INTO "RevokedAccessToken" ("jti","expiresAt","createdAt") VALUES (${'d' + i++}, ${new Date()}, ${new Date()})`; await tx.$executeRaw`INSERT INTO "RevokedAccessToken" ("jti","expiresAt","createdAt") VALUES (${'e' + i++}, ${new Date()}, ${new Date()})`; }));
await cost('model create', 1, () => p.revokedAccessToken.create({ data: { jti: 'f' + i++, expiresAt: new Date() } }));
await db.close(); await scratch.drop();
