import type { NewPasskey, PasskeyActor, PasskeyRecord, PasskeyStore, PasskeyUse } from '@idp/oidc';
import type { Database } from '../database.js';
import type { Prisma } from '../generated/sqlite/client.js';
import {
  audit,
  auditedChange,
  canMatchStoredText,
  isUniqueViolation,
  table,
  userEvent,
} from './rows.js';

const passkeys = table<PasskeyRecord, Prisma.PasskeyUncheckedCreateInput>('Passkey', {
  ...{ credentialId: ['value', 'id'], userId: 'value', publicKey: 'value', counter: 'bigint' },
  ...{ transports: 'list', deviceType: 'value', backedUp: 'value', name: 'value' },
  ...{ createdAt: 'time', lastUsedAt: 'time' },
});

/**
 * People's passkeys (ports/passkey-store.ts), by credential id. The counter is a BigInt column:
 * WebAuthn's is an unsigned 32-bit number, beyond a signed INTEGER's range on PostgreSQL.
 */
export class PasskeyRepository implements PasskeyStore {
  constructor(private readonly db: Database) {}

  async add(passkey: NewPasskey, now: number, by: PasskeyActor = {}): Promise<boolean> {
    const { credentialId, userId, name } = passkey;
    if (!canMatchStoredText(credentialId)) return false;
    const added = auditedChange(this.db, now, async (tx) => {
      const [taken, user] = await Promise.all([
        tx.passkey.findUnique({ where: { id: credentialId }, select: { id: true } }),
        tx.user.findUnique({ where: { id: userId }, select: { id: true } }),
      ]);
      if (taken || !user) return false;
      const data = passkeys.write({ ...passkey, createdAt: now, lastUsedAt: null });
      await tx.passkey.create({ data });
      return userEvent('passkey.added', userId, by, { credentialId, name });
    });
    // A concurrent add of the same credential id won the primary key.
    return added.catch((error: unknown) => {
      if (isUniqueViolation(error)) return false;
      throw error;
    });
  }

  async find(credentialId: string): Promise<PasskeyRecord | null> {
    if (!canMatchStoredText(credentialId)) return null;
    return passkeys.read(await this.db.prisma.passkey.findUnique({ where: { id: credentialId } }));
  }

  async listForUser(userId: string): Promise<PasskeyRecord[]> {
    const rows = await this.db.prisma.passkey.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((row) => passkeys.read(row)!);
  }

  /** A conditional UPDATE: of concurrent uses with one counter, only one matches the row. */
  async recordUse(
    credentialId: string,
    use: PasskeyUse,
    now: number,
    by: PasskeyActor = {},
  ): Promise<boolean> {
    if (!canMatchStoredText(credentialId)) return false;
    const counter = BigInt(use.counter);
    return auditedChange(this.db, now, async (tx) => {
      const { count } = await tx.passkey.updateMany({
        where: {
          id: credentialId,
          OR: [{ counter: { lt: counter } }, ...(counter === 0n ? [{ counter: 0n }] : [])],
        },
        data: { counter, backedUp: use.backedUp, lastUsedAt: new Date(now) },
      });
      if (count !== 1) return false;
      const { userId } = await tx.passkey.findUniqueOrThrow({ where: { id: credentialId } });
      return userEvent('passkey.used', userId, by, { credentialId });
    });
  }

  async rename(
    userId: string,
    credentialId: string,
    name: string,
    now: number,
    by: PasskeyActor = {},
  ): Promise<boolean> {
    if (!canMatchStoredText(credentialId)) return false;
    return auditedChange(this.db, now, async (tx) => {
      const where = { id: credentialId, userId };
      const { count } = await tx.passkey.updateMany({ where, data: { name } });
      return count === 1 && userEvent('passkey.renamed', userId, by, { credentialId, name });
    });
  }

  async remove(
    userId: string,
    credentialId: string,
    now: number,
    by: PasskeyActor = {},
  ): Promise<boolean> {
    if (!canMatchStoredText(credentialId)) return false;
    return auditedChange(this.db, now, async (tx) => {
      const { count } = await tx.passkey.deleteMany({ where: { id: credentialId, userId } });
      return count === 1 && userEvent('passkey.removed', userId, by, { credentialId, count: 1 });
    });
  }

  async removeAllForUser(userId: string, now: number, by: PasskeyActor = {}): Promise<number> {
    return this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.passkey.deleteMany({ where: { userId } });
      if (count > 0) await audit(tx, userEvent('passkey.removed', userId, by, { count }), now);
      return count;
    });
  }
}
