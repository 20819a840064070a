import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { serverEntry } from '../support/paths.js';
import { run, spawnServer, type SpawnedServer } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

// A client's own entry first, then what each proxy appended: the nearest proxy's is the last.
const FORGED = '203.0.113.66';
const APPENDED_BY_PROXY = '198.51.100.7';

/** The client address the server logged for the request with this id (its `incoming request` line). */
async function loggedIp(server: SpawnedServer, response: Response): Promise<string | undefined> {
  const id = response.headers.get('x-request-id');
  const line = () =>
    server
      .logLines()
      .find((text) => text.includes(`"reqId":"${id}"`) && text.includes('incoming request'));
  await waitFor(() => line() !== undefined, `the log line of request ${id}`);
  return (JSON.parse(line()!) as { req: { ip?: string } }).req.ip;
}

test('issue 29 item 8: IDP_TRUST_PROXY=true is refused at start, naming the setting and what to use instead', async () => {
  const database = await scratchDatabase('sqlite');
  const env = await isolatedEnvironment({
    IDP_TRUST_PROXY: 'true',
    DATABASE_URL: database.url,
    IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
  });
  // Bounded: a server that accepts the setting would otherwise serve until killed.
  const result = await run([process.execPath, serverEntry], env, { timeoutMs: 20_000 });
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /IDP_TRUST_PROXY: true would trust X-Forwarded-For from any client.*number of proxies.*addresses\/CIDRs/,
  );
  assert.equal(result.stdout, '', 'nothing was served');
  const list = await run(
    [process.execPath, serverEntry],
    await isolatedEnvironment({ IDP_TRUST_PROXY: '10.0.0.0/8, proxy.internal' }),
    { timeoutMs: 20_000 },
  );
  assert.equal(list.code, 1);
  assert.match(list.stderr, /IDP_TRUST_PROXY: .*not an address: "proxy\.internal"/);
  await database.drop();
});

for (const [setting, expected, why] of [
  [
    '1',
    APPENDED_BY_PROXY,
    'one hop: the address the nearest proxy appended (the rightmost), never a leftmost entry the client wrote',
  ],
  [
    '127.0.0.1',
    APPENDED_BY_PROXY,
    'the request comes from the listed proxy, so its header is honoured',
  ],
  [
    '10.9.9.9',
    '127.0.0.1',
    'the request does not come from a listed proxy, so its header is ignored',
  ],
] as const) {
  describe(`issue 29 item 8: IDP_TRUST_PROXY=${setting}`, () => {
    let database: Awaited<ReturnType<typeof scratchDatabase>>;
    let server: SpawnedServer;
    before(async () => {
      database = await scratchDatabase('sqlite');
      server = await spawnServer(
        await isolatedEnvironment({
          DATABASE_URL: database.url,
          IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
          IDP_TRUST_PROXY: setting,
        }),
      );
    });
    after(async () => {
      await server?.stop();
      await database?.drop();
    });

    test(`the client address is ${expected}: ${why}`, async () => {
      const response = await fetch(`${server.url}/healthz`, {
        headers: { 'x-forwarded-for': `${FORGED}, ${APPENDED_BY_PROXY}` },
      });
      assert.equal(response.status, 200);
      assert.equal(await loggedIp(server, response), expected);
    });
  });
}
