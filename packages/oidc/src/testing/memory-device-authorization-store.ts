import type {
  DeviceApproval,
  DeviceAuthorizationRecord,
  DeviceAuthorizationStore,
  FoundDeviceAuthorization,
} from '../ports/device-authorization-store.js';
import type { NewRefreshToken } from '../ports/refresh-token-store.js';
import type { TokenFamilyRecord } from '../ports/token-family-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `DeviceAuthorizationStore`, on shared in-memory tables. */
export class MemoryDeviceAuthorizationStore implements DeviceAuthorizationStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async create(record: DeviceAuthorizationRecord, _now: number): Promise<boolean> {
    const table = this.#tables.deviceAuthorizations;
    for (const stored of table.values())
      if (stored.userCodeHash === record.userCodeHash) return false;
    table.set(record.deviceCodeHash, {
      ...structuredClone(record),
      status: 'pending',
      approval: null,
      familyId: null,
      lastPolledAt: null,
    });
    return true;
  }

  async find(deviceCodeHash: string): Promise<FoundDeviceAuthorization | null> {
    const record = this.#tables.deviceAuthorizations.get(deviceCodeHash);
    if (!record) return null;
    return {
      ...record,
      user: record.approval ? (this.#tables.users.get(record.approval.userId) ?? null) : null,
    };
  }

  async findByUserCode(userCodeHash: string): Promise<DeviceAuthorizationRecord | null> {
    for (const record of this.#tables.deviceAuthorizations.values())
      if (record.userCodeHash === userCodeHash) return record;
    return null;
  }

  async recordPoll(
    deviceCodeHash: string,
    previousPolledAt: number | null,
    now: number,
    interval: number,
  ): Promise<boolean> {
    const record = this.#tables.deviceAuthorizations.get(deviceCodeHash);
    if (!record || record.lastPolledAt !== previousPolledAt) return false;
    this.#tables.deviceAuthorizations.set(deviceCodeHash, {
      ...record,
      lastPolledAt: now,
      interval,
    });
    return true;
  }

  async approve(deviceCodeHash: string, approval: DeviceApproval, now: number): Promise<boolean> {
    return this.#decide(deviceCodeHash, now, {
      status: 'approved',
      approval: structuredClone(approval),
    });
  }

  async deny(deviceCodeHash: string, now: number): Promise<boolean> {
    return this.#decide(deviceCodeHash, now, { status: 'denied' });
  }

  #decide(
    deviceCodeHash: string,
    now: number,
    change: Partial<DeviceAuthorizationRecord>,
  ): boolean {
    const record = this.#tables.deviceAuthorizations.get(deviceCodeHash);
    if (!record || record.status !== 'pending' || record.expiresAt <= now) return false;
    this.#tables.deviceAuthorizations.set(deviceCodeHash, { ...record, ...change });
    return true;
  }

  async redeem(
    deviceCodeHash: string,
    now: number,
    family: TokenFamilyRecord,
    refreshToken: NewRefreshToken | null,
  ): Promise<boolean> {
    const tables = this.#tables;
    const record = tables.deviceAuthorizations.get(deviceCodeHash);
    if (!record || record.status !== 'approved') return false;
    tables.deviceAuthorizations.set(deviceCodeHash, {
      ...record,
      status: 'redeemed',
      familyId: family.id,
    });
    tables.families.set(family.id, structuredClone(family));
    if (refreshToken)
      tables.refreshTokens.set(refreshToken.id, {
        ...refreshToken,
        createdAt: now,
        usedAt: null,
        replacedBy: null,
      });
    return true;
  }
}
