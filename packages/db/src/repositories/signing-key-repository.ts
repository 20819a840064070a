import {
  isSigningAlgorithm,
  type KeySetChange,
  type SigningKeyStore,
  type StoredSigningKey,
} from '@idp/keys';
import { randomUUID } from 'node:crypto';
import type { Database } from '../database.js';
import type { SigningKey } from '../generated/sqlite/client.js';

/** Arbitrary constant naming the key-set lock among PostgreSQL advisory locks. */
const KEY_SET_LOCK = 7_382_001;

function toStored(row: SigningKey): StoredSigningKey {
  // Only this repository writes the column; anything else would be a hand-edited row, which
  // must not be taken for a key of some other algorithm.
  if (!isSigningAlgorithm(row.alg))
    throw new Error(`signing key ${row.kid} has an unknown algorithm ${JSON.stringify(row.alg)}`);
  return {
    kid: row.kid,
    alg: row.alg,
    size: row.size,
    publicJwk: JSON.parse(row.publicJwk) as StoredSigningKey['publicJwk'],
    privateKey: row.privateKey,
    createdAt: row.createdAt.getTime(),
    activatesAt: row.activatesAt.getTime(),
    retiredAt: row.retiredAt?.getTime() ?? null,
    revokedAt: row.revokedAt?.getTime() ?? null,
  };
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
      if (change.insert) {
        const key = change.insert;
        await tx.signingKey.create({
          data: {
            kid: key.kid,
            alg: key.alg,
            size: key.size,
            privateKey: key.privateKey,
            publicJwk: JSON.stringify(key.publicJwk),
            createdAt: new Date(key.createdAt),
            activatesAt: new Date(key.activatesAt),
            retiredAt: key.retiredAt === null ? null : new Date(key.retiredAt),
            revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt),
          },
        });
      }
      for (const update of change.updates) {
        await tx.signingKey.update({
          where: { kid: update.kid },
          data: {
            activatesAt: toDate(update.activatesAt),
            retiredAt: toDate(update.retiredAt),
            revokedAt: toDate(update.revokedAt),
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
