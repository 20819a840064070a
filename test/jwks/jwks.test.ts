import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { RunningServer } from '@idp/server';
import { providers, scratchDatabase } from '../support/databases.js';
import { keyEncryptionKey } from '../support/environment.js';
import { startInProcess } from '../support/in-process.js';

for (const provider of providers) {
  describe(`JWKS on ${provider}`, () => {
    let server: RunningServer;
    let database: Awaited<ReturnType<typeof scratchDatabase>>;

    before(async () => {
      database = await scratchDatabase(provider);
      server = await startInProcess({
        DATABASE_URL: database.url,
        IDP_JWKS_MAX_AGE: '15m',
        IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      });
    });
    after(async () => {
      await server?.app.close();
      await database?.drop();
    });

    test('one RSA key on first start, public members only (RFC 7517 4, RFC 7518 6.3.1)', async () => {
      const response = await fetch(`${server.url}/.well-known/jwks.json`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const { keys } = (await response.json()) as { keys: Record<string, string>[] };
      assert.equal(keys.length, 1);
      const [key] = keys;
      assert.deepEqual(Object.keys(key!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
      assert.equal(key!.kty, 'RSA');
      assert.equal(key!.alg, 'RS256');
      assert.equal(key!.use, 'sig');
      assert.equal(Buffer.from(key!.n!, 'base64url').length * 8, 2048);
      for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
        assert.equal(key![privateMember], undefined);
    });

    test('Cache-Control carries the configured max-age; ETag answers 304', async () => {
      const response = await fetch(`${server.url}/.well-known/jwks.json`);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=900, must-revalidate');
      const etag = response.headers.get('etag');
      assert.match(etag ?? '', /^"[A-Za-z0-9_-]+"$/);
      const notModified = await fetch(`${server.url}/.well-known/jwks.json`, {
        headers: { 'if-none-match': etag! },
      });
      assert.equal(notModified.status, 304);
      assert.equal(await notModified.text(), '');
      const listed = await fetch(`${server.url}/.well-known/jwks.json`, {
        headers: { 'if-none-match': `"other", W/${etag}` },
      });
      assert.equal(listed.status, 304, 'weak comparison over a list (RFC 9110 13.1.2)');
      const stale = await fetch(`${server.url}/.well-known/jwks.json`, {
        headers: { 'if-none-match': '"stale"' },
      });
      assert.equal(stale.status, 200);
    });

    test('a token from the signer carries a kid and verifies with jose remote JWKS', async () => {
      const token = await server.services.keyRing.sign(
        { sub: 'alice', iss: server.services.config.issuer },
        { typ: 'at+jwt' },
      );
      const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
      const { protectedHeader, payload } = await jwtVerify(token, jwks, {
        issuer: server.services.config.issuer,
      });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(protectedHeader.typ, 'at+jwt');
      assert.ok(protectedHeader.kid);
      assert.equal(payload.sub, 'alice');
    });
  });
}
