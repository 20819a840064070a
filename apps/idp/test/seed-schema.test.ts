import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ignoredSeedMembers, jsonPath, seedSchema } from '../src/cli/seed-schema.js';

test('seed errors are reported as JSON paths', () => {
  assert.equal(jsonPath(['clients', 2, 'redirect_uris', 0]), 'clients[2].redirect_uris[0]');
  const result = seedSchema.safeParse({ users: [{ email: 'a@example.com', password: 'x' }, { email: 'A@example.com', password: 'y' }] });
  assert.equal(result.success, false);
  assert.deepEqual(result.error!.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`), ['users[1].email: appears more than once in the seed']);
});

test('unknown members are listed so typos do not pass silently', () => {
  assert.deepEqual(
    ignoredSeedMembers({ clients: [{ client_id: 'a', redirect_uri: 'https://x' }], users: [{ email: 'a@b.c', passwrd: 'x' }], extra: 1 }),
    ['extra', 'clients[0].redirect_uri', 'users[0].passwrd'],
  );
});
