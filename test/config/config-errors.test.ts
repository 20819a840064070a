import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isolatedEnvironment } from '../support/environment.js';
import { run } from '../support/processes.js';
import { serverEntry } from '../support/paths.js';

test('bad settings stop the server before it listens: one line per variable, exit code non-zero', async () => {
  const env = await isolatedEnvironment({
    PORT: '99999',
    IDP_ISSUER: 'ftp://id.example.com',
    IDP_ACCESS_TOKEN_TTL: 'soon',
    IDP_SIGNING_KEY_SIZE: '1024',
    DATABASE_URL: 'mysql://localhost/idp',
  });
  const result = await run([process.execPath, serverEntry], env);
  assert.notEqual(result.code, 0);
  const lines = result.stderr.trim().split('\n').slice(1).map((line) => line.trim());
  assert.equal(lines.length, 5, result.stderr);
  assert.match(lines.find((l) => l.startsWith('PORT:'))!, /whole number from 0 to 65535 \(got "99999"\)/);
  assert.match(lines.find((l) => l.startsWith('IDP_ISSUER:'))!, /https/);
  assert.match(lines.find((l) => l.startsWith('IDP_ACCESS_TOKEN_TTL:'))!, /duration such as 30s, 10m, 1h or 14d \(got "soon"\)/);
  assert.match(lines.find((l) => l.startsWith('IDP_SIGNING_KEY_SIZE:'))!, /2048, 3072, 4096/);
  assert.match(lines.find((l) => l.startsWith('DATABASE_URL:'))!, /file:<path>.*postgresql:\/\//);
  assert.equal(result.stdout, '', 'nothing was served or logged as started');
});
