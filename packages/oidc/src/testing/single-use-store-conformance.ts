import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINUTE, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `SingleUseStore` (ports/single-use-store.ts), as node:test cases. */
export function describeSingleUseStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`SingleUseStore conformance: ${name}`, open, (stores) => {
    test('an interaction is consumed once', async () => {
      const id = unique('interaction');
      assert.equal(await stores().singleUseIds.consume(id, T0 + MINUTE), true);
      assert.equal(await stores().singleUseIds.consume(id, T0 + MINUTE), false);
      assert.equal(await stores().singleUseIds.consume(unique('interaction'), T0 + MINUTE), true);
    });

    test('of 10 concurrent consumptions of one interaction exactly one wins', async () => {
      const id = unique('interaction');
      const results = await Promise.all(
        Array.from({ length: 10 }, () => stores().singleUseIds.consume(id, T0 + MINUTE)),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
