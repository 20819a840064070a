import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredSuccessor } from '../src/index.js';
import { judgeRefreshTokenReuse } from '../src/token-endpoint/grants/refresh-token-reuse.js';
import { NOW } from './token-family-fixture.js';

const successor: StoredSuccessor = {
  id: 'rt-2',
  tokenHash: 'h',
  createdAt: NOW,
  expiresAt: NOW + 3_600_000,
  usedAt: null,
};
const used = (changes: { usedAt?: number; successor?: StoredSuccessor | null } = {}) => ({
  outcome: 'used' as const,
  usedAt: changes.usedAt ?? NOW,
  successor: changes.successor === undefined ? successor : changes.successor,
});

test('without a grace period every reuse is a replay, a concurrent one (clock read before usedAt) included', () => {
  assert.deepEqual(judgeRefreshTokenReuse(used(), NOW + 1, 0), { kind: 'replay' });
  assert.deepEqual(judgeRefreshTokenReuse(used({ usedAt: NOW + 5 }), NOW, 0), { kind: 'replay' });
});

test('within the grace period, up to its last millisecond, the one stored successor', () => {
  assert.deepEqual(judgeRefreshTokenReuse(used(), NOW + 10_000, 10), { kind: 'grace', successor });
  assert.deepEqual(judgeRefreshTokenReuse(used({ usedAt: NOW + 5 }), NOW, 10), {
    kind: 'grace',
    successor,
  });
  assert.deepEqual(judgeRefreshTokenReuse(used(), NOW + 10_001, 10), { kind: 'replay' });
});

test('a successor used since, or none stored, makes it a replay; an expired one is refused without revoking', () => {
  assert.deepEqual(
    judgeRefreshTokenReuse(used({ successor: { ...successor, usedAt: NOW + 1 } }), NOW + 2, 10),
    { kind: 'replay' },
  );
  assert.deepEqual(judgeRefreshTokenReuse(used({ successor: null }), NOW + 1, 10), {
    kind: 'replay',
  });
  assert.deepEqual(
    judgeRefreshTokenReuse(used({ successor: { ...successor, expiresAt: NOW + 1 } }), NOW + 1, 10),
    { kind: 'successor-expired' },
  );
});
