import assert from 'node:assert/strict';
import { test } from 'node:test';
import { releasedUserClaims } from '../src/tokens/user-claims.js';
import type { UserAccount } from '../src/users/user-account.js';

const user = {
  id: 'user-1',
  email: 'ada@example.com',
  disabled: false,
  admin: false,
  claims: {
    name: 'Ada Lovelace',
    given_name: 'Ada',
    phone_number: '+44 20 0000 0000',
    sub: 'not-the-sub',
  },
} as unknown as UserAccount;

// OIDC Core 5.4: a scope releases its claims, and only those the user has.
test('scopes release their claims the user has, email_verified false when unknown (OIDC Core 5.4)', () => {
  assert.deepEqual(releasedUserClaims(user, ['openid', 'profile']), {
    name: 'Ada Lovelace',
    given_name: 'Ada',
  });
  assert.deepEqual(releasedUserClaims(user, ['openid', 'email']), {
    email: 'ada@example.com',
    email_verified: false,
  });
  assert.deepEqual(releasedUserClaims(user, ['openid']), {});
  // The same scopes in another order, and again after other sets: the result does not depend on what was asked before.
  assert.deepEqual(releasedUserClaims(user, ['email', 'openid', 'profile']), {
    email: 'ada@example.com',
    email_verified: false,
    name: 'Ada Lovelace',
    given_name: 'Ada',
  });
  assert.deepEqual(releasedUserClaims(user, ['openid', 'profile']), {
    name: 'Ada Lovelace',
    given_name: 'Ada',
  });
  const verified = { ...user, claims: { ...user.claims, email_verified: true } } as UserAccount;
  assert.equal(releasedUserClaims(verified, ['email']).email_verified, true);
});

// OIDC Core 5.5: individually requested claims are added to what the scopes release.
test('requested claims are added once; sub and names the user has no claim for never are (OIDC Core 5.5)', () => {
  const released = releasedUserClaims(
    user,
    ['openid', 'profile'],
    ['phone_number', 'name', 'sub', 'constructor', 'toString', '__proto__', 'picture'],
  );
  assert.deepEqual(released, {
    name: 'Ada Lovelace',
    given_name: 'Ada',
    phone_number: '+44 20 0000 0000',
  });
  assert.deepEqual(Object.keys(released), ['name', 'given_name', 'phone_number']);
  assert.equal(Object.getPrototypeOf(released), Object.prototype);
});
