import {
  isSigningAlgorithm,
  type KeySetChange,
  type SigningKeyStore,
  type StoredSigningKey,
} from '@idp/keys';
import { randomUUID } from 'node:crypto';
import type { Database } from '../database.js';
import type { Prisma } from '../generated/sqlite/client.js';
import { table } from './rows.js';

/** Arbitrary constant naming the key-set lock among PostgreSQL advisory locks. */
const KEY_SET_LOCK = 7_382_001;

const keys = table<StoredSigningKey, Prisma.SigningKeyCreateInput>('SigningKey', {
  ...{ kid: 'value', alg: 'value', size: 'value', publicJwk: 'json', privateKey: 'value' },
  ...{ createdAt: 'time', activatesAt: 'time', retiredAt: 'time', revokedAt: 'time' },
});

function toStored(row: { kid: string; alg: string }): StoredSigningKey {
  // Only this repository writes the column; anything else would be a hand-edited row, which
  // must not be taken for a key of some other algorithm.
  if (!isSigningAlgorithm(row.alg))
    throw new Error(`signing key ${row.kid} has an unknown algorithm ${JSON.stringify(row.alg)}`);
  return keys.read(row)!;
}

const toDate = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/** `SigningKeyStore` on Prisma; key-set changes are serialised by a transaction-level lock. */
export class SigningKeyRepository implements SigningKeyStore {
  constructor(private readonly db: Database) {}

  async list(): Promise<StoredSigningKey[]> {
    const rows = await this.db.prisma.signingKey.findMany({ orderBy: { activatesAt: 'asc' } });
    return rows.map(toStored);
  }

  async change<T>(
    decide: (keys: readonly StoredSigningKey[]) => KeySetChange<T>,
    actor: string,
  ): Promise<T> {
    return this.db.prisma.$transaction(async (tx) => {
      // PostgreSQL: without the lock two instances could both read "no active key" and both
      // insert one. SQLite serialises writers itself.
      if (this.db.provider === 'postgresql') {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_SET_LOCK})`;
      }
      const change = decide((await tx.signingKey.findMany()).map(toStored));
      if (change.insert) await tx.signingKey.create({ data: keys.write(change.insert) });
      for (const { kid, activatesAt, retiredAt, revokedAt } of change.updates) {
        await tx.signingKey.update({
          where: { kid },
          data: {
            activatesAt: toDate(activatesAt),
            retiredAt: retiredAt === null ? null : toDate(retiredAt), // null: a cancelled rotation
            revokedAt: toDate(revokedAt),
          },
        });
      }
      if (change.events.length > 0) {
        await tx.auditEvent.createMany({
          data: change.events.map(({ type, data }) => {
            return { id: randomUUID(), type, actor, data: JSON.stringify(data) };
          }),
        });
      }
      return change.result;
    });
  }
}
