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
import { startFamily, table, toUserAccount } from './rows.js';

type Fields = Omit<DeviceAuthorizationRecord, 'approval'>;
const devices = table<Fields>('DeviceAuthorization', {
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
 * few seconds per waiting device), so Prisma Client throughout, except the insert that must not
 * fail on a taken user code and the redemption, which is atomic with the family's inserts.
 */
export class DeviceAuthorizationRepository implements DeviceAuthorizationStore {
  constructor(private readonly db: Database) {}

  async create(record: DeviceAuthorizationRecord, now: number): Promise<boolean> {
    // A taken user code (unique) makes the insert do nothing, so the caller draws another. (SQLite
    // reads ON CONFLICT after INSERT … SELECT only behind a WHERE.)
    const fresh = { status: 'pending', lastPolledAt: null, familyId: null }; // whatever the record says
    const insert = devices.insert(record, { ...fresh, createdAt: new Date(now) });
    return (
      (await this.db.sql.execute(Prisma.sql`${insert} WHERE 1 = 1 ON CONFLICT DO NOTHING`)) === 1
    );
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
