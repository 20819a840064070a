import type {
  DeviceApproval,
  DeviceAuthorizationRecord,
  DeviceAuthorizationStatus,
  DeviceAuthorizationStore,
  FoundDeviceAuthorization,
  NewRefreshToken,
  TokenFamilyRecord,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma, type DeviceAuthorization } from '../generated/sqlite/client.js';
import { claimThenInsert } from './claim-then-insert.js';
import { startFamily, toUserAccount, words } from './rows.js';

function toRecord(row: DeviceAuthorization): DeviceAuthorizationRecord {
  const approval: DeviceApproval | null =
    row.userId !== null && row.authTime !== null
      ? {
          userId: row.userId,
          sessionId: row.sessionId,
          authTime: row.authTime.getTime(),
          amr: JSON.parse(row.amr ?? '[]') as string[],
          acr: row.acr,
        }
      : null;
  return {
    deviceCodeHash: row.id,
    userCodeHash: row.userCodeHash,
    clientId: row.clientId,
    scopes: words(row.scope),
    resources: JSON.parse(row.resources) as string[],
    expiresAt: row.expiresAt.getTime(),
    interval: row.interval,
    lastPolledAt: row.lastPolledAt?.getTime() ?? null,
    status: row.status as DeviceAuthorizationStatus,
    approval,
    familyId: row.familyId,
  };
}

/**
 * RFC 8628 device authorizations, by the hashes of their codes. Off the hot path (a poll every
 * few seconds per waiting device), so Prisma Client throughout, except the insert that must not
 * fail on a taken user code and the redemption, which is atomic with the family's inserts.
 */
export class DeviceAuthorizationRepository implements DeviceAuthorizationStore {
  constructor(private readonly db: Database) {}

  async create(record: DeviceAuthorizationRecord, now: number): Promise<boolean> {
    // A taken user code (unique) makes the insert do nothing, so the caller draws another.
    const inserted = await this.db.sql.execute(Prisma.sql`
      INSERT INTO "DeviceAuthorization" ("id", "userCodeHash", "clientId", "scope", "resources", "createdAt", "expiresAt", "interval", "status")
      VALUES (${record.deviceCodeHash}, ${record.userCodeHash}, ${record.clientId}, ${record.scopes.join(' ')}, ${JSON.stringify(record.resources)},
        ${new Date(now)}, ${new Date(record.expiresAt)}, ${record.interval}, 'pending')
      ON CONFLICT DO NOTHING`);
    return inserted === 1;
  }

  async find(deviceCodeHash: string): Promise<FoundDeviceAuthorization | null> {
    const row = await this.db.prisma.deviceAuthorization.findUnique({
      where: { id: deviceCodeHash },
      include: { user: true },
    });
    if (!row) return null;
    return { ...toRecord(row), user: row.user && toUserAccount(row.user) };
  }

  async findByUserCode(userCodeHash: string): Promise<DeviceAuthorizationRecord | null> {
    const row = await this.db.prisma.deviceAuthorization.findUnique({ where: { userCodeHash } });
    return row && toRecord(row);
  }

  async recordPoll(
    deviceCodeHash: string,
    previousPolledAt: number | null,
    now: number,
    interval: number,
  ): Promise<boolean> {
    const { count } = await this.db.prisma.deviceAuthorization.updateMany({
      where: {
        id: deviceCodeHash,
        lastPolledAt: previousPolledAt === null ? null : new Date(previousPolledAt),
      },
      data: { lastPolledAt: new Date(now), interval },
    });
    return count === 1;
  }

  async approve(deviceCodeHash: string, approval: DeviceApproval, now: number): Promise<boolean> {
    return this.#decide(deviceCodeHash, now, {
      status: 'approved',
      userId: approval.userId,
      sessionId: approval.sessionId,
      authTime: new Date(approval.authTime),
      amr: JSON.stringify(approval.amr),
      acr: approval.acr,
    });
  }

  async deny(deviceCodeHash: string, now: number): Promise<boolean> {
    return this.#decide(deviceCodeHash, now, { status: 'denied' });
  }

  /** One conditional update: only the first of concurrent decisions still finds it pending. */
  async #decide(
    deviceCodeHash: string,
    now: number,
    data: Prisma.DeviceAuthorizationUncheckedUpdateManyInput,
  ): Promise<boolean> {
    const at = new Date(now);
    const { count } = await this.db.prisma.deviceAuthorization.updateMany({
      where: { id: deviceCodeHash, status: 'pending', expiresAt: { gt: at } },
      data: { ...data, decidedAt: at },
    });
    return count === 1;
  }

  async redeem(
    deviceCodeHash: string,
    now: number,
    family: TokenFamilyRecord,
    refreshToken: NewRefreshToken | null,
  ): Promise<boolean> {
    return claimThenInsert(
      this.db,
      Prisma.sql`UPDATE "DeviceAuthorization" SET "status" = 'redeemed', "familyId" = ${family.id} WHERE "id" = ${deviceCodeHash} AND "status" = 'approved'`,
      startFamily(family, refreshToken, now),
      Prisma.sql`EXISTS (SELECT 1 FROM "DeviceAuthorization" WHERE "id" = ${deviceCodeHash} AND "familyId" = ${family.id})`,
    );
  }
}
