import type {
  NewPasskey,
  PasskeyActor,
  PasskeyRecord,
  PasskeyStore,
  PasskeyUse,
} from '../ports/passkey-store.js';
import type { MemoryTables } from './memory-tables.js';

const byAge = (a: PasskeyRecord, b: PasskeyRecord) =>
  a.createdAt - b.createdAt || (a.credentialId < b.credentialId ? -1 : 1);

/** The reference `PasskeyStore`, on shared in-memory tables. */
export class MemoryPasskeyStore implements PasskeyStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async add(passkey: NewPasskey, now: number, by: PasskeyActor = {}): Promise<boolean> {
    const tables = this.#tables;
    if (tables.passkeys.has(passkey.credentialId) || !tables.users.has(passkey.userId))
      return false;
    tables.passkeys.set(passkey.credentialId, {
      ...passkey,
      transports: [...passkey.transports],
      createdAt: now,
      lastUsedAt: null,
    });
    this.#audit('passkey.added', passkey.userId, now, by, {
      credentialId: passkey.credentialId,
      name: passkey.name,
    });
    return true;
  }

  async find(credentialId: string): Promise<PasskeyRecord | null> {
    return this.#tables.passkeys.get(credentialId) ?? null;
  }

  async listForUser(userId: string): Promise<PasskeyRecord[]> {
    return [...this.#tables.passkeys.values()].filter((p) => p.userId === userId).sort(byAge);
  }

  async recordUse(
    credentialId: string,
    use: PasskeyUse,
    now: number,
    by: PasskeyActor = {},
  ): Promise<boolean> {
    const passkey = this.#tables.passkeys.get(credentialId);
    if (!passkey) return false;
    const forward = passkey.counter < use.counter || (passkey.counter === 0 && use.counter === 0);
    if (!forward) return false;
    this.#tables.passkeys.set(credentialId, {
      ...passkey,
      counter: use.counter,
      backedUp: use.backedUp,
      lastUsedAt: now,
    });
    this.#audit('passkey.used', passkey.userId, now, by, { credentialId });
    return true;
  }

  async rename(
    userId: string,
    credentialId: string,
    name: string,
    now: number,
    by: PasskeyActor = {},
  ): Promise<boolean> {
    const passkey = this.#tables.passkeys.get(credentialId);
    if (!passkey || passkey.userId !== userId) return false;
    this.#tables.passkeys.set(credentialId, { ...passkey, name });
    this.#audit('passkey.renamed', userId, now, by, { credentialId, name });
    return true;
  }

  async remove(
    userId: string,
    credentialId: string,
    now: number,
    by: PasskeyActor = {},
  ): Promise<boolean> {
    const passkey = this.#tables.passkeys.get(credentialId);
    if (!passkey || passkey.userId !== userId) return false;
    this.#tables.passkeys.delete(credentialId);
    this.#audit('passkey.removed', userId, now, by, { credentialId, count: 1 });
    return true;
  }

  async removeAllForUser(userId: string, now: number, by: PasskeyActor = {}): Promise<number> {
    let count = 0;
    for (const [id, passkey] of this.#tables.passkeys) {
      if (passkey.userId !== userId) continue;
      this.#tables.passkeys.delete(id);
      count += 1;
    }
    if (count > 0) this.#audit('passkey.removed', userId, now, by, { count });
    return count;
  }

  #audit(
    type: string,
    userId: string,
    now: number,
    by: PasskeyActor,
    data: Record<string, unknown>,
  ): void {
    this.#tables.recordAudit(
      { type, actor: by.actor ?? userId, userId, ...(by.ip ? { ip: by.ip } : {}), data },
      now,
    );
  }
}
