import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrationTimestamp, nextMigrationFolder } from '../scripts/lib/migration-name.js';

test('a migration folder is named by the UTC time, as Prisma names them', () => {
  assert.equal(migrationTimestamp(new Date('2026-03-04T05:06:07.890Z')), '20260304050607');
  assert.equal(
    nextMigrationFolder('add_locale', new Date('2026-03-04T05:06:07Z'), [
      '20250101000000_init',
      'migration_lock.toml',
    ]),
    '20260304050607_add_locale',
  );
});

test('a clock behind the newest migration still sorts the new one last', () => {
  assert.equal(
    nextMigrationFolder('late', new Date('2020-01-01T00:00:00Z'), [
      '20260304050659_init',
      'migration_lock.toml',
    ]),
    '20260304050700_late',
  );
});
