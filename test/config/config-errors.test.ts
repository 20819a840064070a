import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { idp, run, spawnServer } from '../support/processes.js';
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
  const lines = result.stderr
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
  assert.equal(lines.length, 5, result.stderr);
  assert.match(
    lines.find((l) => l.startsWith('PORT:'))!,
    /whole number from 0 to 65535 \(got "99999"\)/,
  );
  assert.match(
    lines.find((l) => l.startsWith('IDP_ISSUER:'))!,
    /https/,
  );
  assert.match(
    lines.find((l) => l.startsWith('IDP_ACCESS_TOKEN_TTL:'))!,
    /duration such as 30s, 10m, 1h or 14d \(got "soon"\)/,
  );
  assert.match(
    lines.find((l) => l.startsWith('IDP_SIGNING_KEY_SIZE:'))!,
    /2048, 3072, 4096/,
  );
  assert.match(
    lines.find((l) => l.startsWith('DATABASE_URL:'))!,
    /file:<path>.*postgresql:\/\//,
  );
  assert.equal(result.stdout, '', 'nothing was served or logged as started');
});

test('issue 29 item 17: a mistyped IDP_ variable is named at start with the closest setting; the test harness variable is not', async () => {
  const database = await scratchDatabase('sqlite');
  const env = await isolatedEnvironment({
    DATABASE_URL: database.url,
    IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
    IDP_ACESS_TOKEN_TTL: '5m',
    IDP_COMPLETELY_UNRELATED_THING: 'x',
    IDP_TEST_POSTGRES_URL: 'postgresql://postgres@127.0.0.1:5432/test',
  });
  const server = await spawnServer(env);
  try {
    const warnings = server
      .logLines()
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level === 40)
      .map((line) => line.msg);
    assert.deepEqual(warnings, [
      'IDP_ACESS_TOKEN_TTL is not a setting; did you mean IDP_ACCESS_TOKEN_TTL?',
      'IDP_COMPLETELY_UNRELATED_THING is not a setting (see the settings table in README.md); ignored',
    ]);
  } finally {
    await server.stop();
  }
  const cliEnv = Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !['IDP_ACESS_TOKEN_TTL', 'IDP_COMPLETELY_UNRELATED_THING'].includes(name),
    ),
  );
  const cli = await idp(['keys', 'list'], { ...cliEnv, IDP_SESION_TTL: '1h' });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(
    cli.stderr,
    /^warning: IDP_SESION_TTL is not a setting; did you mean IDP_SESSION_TTL\?$/m,
  );
  assert.doesNotMatch(cli.stderr, /IDP_TEST_POSTGRES_URL/);
  await database.drop();
});
