import type {
  DeviceApproval,
  DeviceAuthorizationRecord,
  DeviceAuthorizationStore,
  FoundDeviceAuthorization,
  NewRefreshToken,
  TokenFamilyRecord,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { claimThenInsert } from './claim-then-insert.js';
import { isUniqueViolation, startFamily, table, toUserAccount } from './rows.js';

type Fields = Omit<DeviceAuthorizationRecord, 'approval'>;
type DeviceColumns = Omit<Prisma.DeviceAuthorizationUncheckedCreateInput, 'createdAt'>;
const devices = table<Fields, DeviceColumns>('DeviceAuthorization', {
  ...{ deviceCodeHash: ['value', 'id'], userCodeHash: 'value', clientId: 'value' },
  ...{ scopes: ['words', 'scope'], resources: 'list', expiresAt: 'time', interval: 'value' },
  ...{ lastPolledAt: 'time', status: 'value', familyId: 'value' },
});
type ApprovalColumns = Prisma.DeviceAuthorizationUncheckedUpdateManyInput;
const approvals = table<DeviceApproval, ApprovalColumns>('DeviceAuthorization', {
  ...{ userId: 'value', sessionId: 'value', authTime: 'time', amr: 'list', acr: 'value' },
});

/** A device authorization, with its approval once a user decided (userId and authTime set). */
function toRecord(row: { authTime: Date | null }): DeviceAuthorizationRecord {
  return { ...devices.read(row)!, approval: row.authTime && approvals.read(row) };
}

/**
 * RFC 8628 device authorizations, by the hashes of their codes. Off the hot path (a poll every
 * few seconds per waiting device), so Prisma Client throughout, except the redemption, which is
 * atomic with the family's inserts.
 */
export class DeviceAuthorizationRepository implements DeviceAuthorizationStore {
  constructor(private readonly db: Database) {}

  async create(record: DeviceAuthorizationRecord, now: number): Promise<boolean> {
    // Whatever the record says, a new authorization is pending, unpolled and unredeemed.
    const fresh = { status: 'pending', lastPolledAt: null, familyId: null } as const;
    const data = { ...devices.write({ ...record, ...fresh }), createdAt: new Date(now) };
    try {
      await this.db.prisma.deviceAuthorization.create({ data });
      return true;
    } catch (error) {
      // A taken user code (unique): the caller draws another.
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async find(deviceCodeHash: string): Promise<FoundDeviceAuthorization | null> {
    const row = await this.db.prisma.deviceAuthorization.findUnique({
      where: { id: deviceCodeHash },
      include: { user: true },
    });
    return row && { ...toRecord(row), user: row.user && toUserAccount(row.user) };
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
    const lastPolledAt = previousPolledAt === null ? null : new Date(previousPolledAt);
    const { count } = await this.db.prisma.deviceAuthorization.updateMany({
      where: { id: deviceCodeHash, lastPolledAt },
      data: { lastPolledAt: new Date(now), interval },
    });
    return count === 1;
  }

  async approve(deviceCodeHash: string, approval: DeviceApproval, now: number): Promise<boolean> {
    return this.#decide(deviceCodeHash, now, { status: 'approved', ...approvals.write(approval) });
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
