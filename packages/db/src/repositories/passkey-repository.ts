import type {
  NewPasskey,
  PasskeyActor,
  PasskeyDeviceType,
  PasskeyRecord,
  PasskeyStore,
  PasskeyUse,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { auditRow, canMatchStoredText, isUniqueViolation } from './rows.js';

interface PasskeyRow {
  id: string;
  userId: string;
  publicKey: string;
  counter: bigint;
  transports: string;
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

function toRecord(row: PasskeyRow): PasskeyRecord {
  return {
    credentialId: row.id,
    userId: row.userId,
    publicKey: row.publicKey,
    counter: Number(row.counter),
    transports: JSON.parse(row.transports) as string[],
    deviceType: row.deviceType as PasskeyDeviceType,
    backedUp: row.backedUp,
    name: row.name,
    createdAt: row.createdAt.getTime(),
    lastUsedAt: row.lastUsedAt?.getTime() ?? null,
  };
}

function auditOf(
  type: string,
  userId: string,
  by: PasskeyActor,
  data: Record<string, unknown>,
  now: number,
) {
  return auditRow(
    { type, actor: by.actor ?? userId, userId, ...(by.ip ? { ip: by.ip } : {}), data },
    now,
  );
}

/**
 * People's passkeys (ports/passkey-store.ts), by credential id. The counter is a BigInt column:
 * WebAuthn's is an unsigned 32-bit number, beyond a signed INTEGER's range on PostgreSQL.
 */
export class PasskeyRepository implements PasskeyStore {
  constructor(private readonly db: Database) {}

  async add(passkey: NewPasskey, now: number, by: PasskeyActor = {}): Promise<boolean> {
    if (!canMatchStoredText(passkey.credentialId)) return false;
    const added = this.db.prisma.$transaction(async (tx) => {
      const [taken, user] = await Promise.all([
        tx.passkey.findUnique({ where: { id: passkey.credentialId }, select: { id: true } }),
        tx.user.findUnique({ where: { id: passkey.userId }, select: { id: true } }),
      ]);
      if (taken || !user) return false;
      await tx.passkey.create({
        data: {
          id: passkey.credentialId,
          userId: passkey.userId,
          publicKey: passkey.publicKey,
          counter: BigInt(passkey.counter),
          transports: JSON.stringify(passkey.transports),
          deviceType: passkey.deviceType,
          backedUp: passkey.backedUp,
          name: passkey.name,
          createdAt: new Date(now),
        },
      });
      await tx.auditEvent.create({
        data: auditOf(
          'passkey.added',
          passkey.userId,
          by,
          { credentialId: passkey.credentialId, name: passkey.name },
          now,
        ),
      });
      return true;
    });
    // A concurrent add of the same credential id won the primary key.
    return added.catch((error: unknown) => {
      if (isUniqueViolation(error)) return false;
      throw error;
    });
  }

  async find(credentialId: string): Promise<PasskeyRecord | null> {
    if (!canMatchStoredText(credentialId)) return null;
    const row = await this.db.prisma.passkey.findUnique({ where: { id: credentialId } });
    return row ? toRecord(row) : null;
  }

  async listForUser(userId: string): Promise<PasskeyRecord[]> {
    const rows = await this.db.prisma.passkey.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toRecord);
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
    return this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.passkey.updateMany({
        where: {
          id: credentialId,
          OR: [{ counter: { lt: counter } }, ...(counter === 0n ? [{ counter: 0n }] : [])],
        },
        data: { counter, backedUp: use.backedUp, lastUsedAt: new Date(now) },
      });
      if (count !== 1) return false;
      const row = await tx.passkey.findUnique({
        where: { id: credentialId },
        select: { userId: true },
      });
      await tx.auditEvent.create({
        data: auditOf('passkey.used', row!.userId, by, { credentialId }, now),
      });
      return true;
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
    return this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.passkey.updateMany({
        where: { id: credentialId, userId },
        data: { name },
      });
      if (count !== 1) return false;
      await tx.auditEvent.create({
        data: auditOf('passkey.renamed', userId, by, { credentialId, name }, now),
      });
      return true;
    });
  }

  async remove(
    userId: string,
    credentialId: string,
    now: number,
    by: PasskeyActor = {},
  ): Promise<boolean> {
    if (!canMatchStoredText(credentialId)) return false;
    return this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.passkey.deleteMany({ where: { id: credentialId, userId } });
      if (count !== 1) return false;
      await tx.auditEvent.create({
        data: auditOf('passkey.removed', userId, by, { credentialId, count: 1 }, now),
      });
      return true;
    });
  }

  async removeAllForUser(userId: string, now: number, by: PasskeyActor = {}): Promise<number> {
    return this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.passkey.deleteMany({ where: { userId } });
      if (count > 0)
        await tx.auditEvent.create({
          data: auditOf('passkey.removed', userId, by, { count }, now),
        });
      return count;
    });
  }
}
