import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SingleUseRepository, GarbageCollector, type Database } from '../src/index.js';
import { PROVIDERS } from '../src/database.js';
import { openMigratedScratch, type MigratedScratch } from './support/migrated-scratch.js';

const NOW = Date.now();

for (const provider of PROVIDERS) {
  describe(`consumed interactions on ${provider}`, () => {
    let scratch: MigratedScratch;
    let db: Database;
    let interactions: SingleUseRepository;
    before(async () => {
      scratch = await openMigratedScratch(provider);
      ({ db } = scratch);
      interactions = new SingleUseRepository(db);
    });
    after(() => scratch?.close());

    test('issue 29 item 5: an interaction is consumed once, even by concurrent requests', async () => {
      assert.equal(await interactions.consume('first', NOW + 60_000), true);
      assert.equal(await interactions.consume('first', NOW + 60_000), false);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => interactions.consume('raced', NOW + 60_000)),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('issue 29 item 5: clean-up forgets consumed interactions once they have expired', async () => {
      await interactions.consume('expired', NOW - 1_000);
      await interactions.consume('live', NOW + 60_000);
      const result = await new GarbageCollector(db).collect(NOW, 86_400_000);
      assert.equal(result.singleUseIds, 1);
      assert.deepEqual(
        (
          await db.prisma.singleUseId.findMany({ select: { id: true }, orderBy: { id: 'asc' } })
        ).map((row) => row.id),
        ['first', 'live', 'raced'],
      );
    });
  });
}
