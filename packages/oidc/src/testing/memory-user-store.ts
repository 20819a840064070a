import type { EndedSession } from '../ports/browser-session-store.js';
import type { NewUser, UserChange, UserStore } from '../ports/user-store.js';
import { StoreError } from '../ports/store-error.js';
import { matchesSearch, type PageQuery } from '../ports/page-query.js';
import { changedClaims } from '../users/changed-claims.js';
import type { StandardClaims, UserAccount } from '../users/user-account.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `UserStore`, on shared in-memory tables. */
export class MemoryUserStore implements UserStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async findByEmail(email: string): Promise<UserAccount | null> {
    return this.#byEmail(email) ?? null;
  }

  async findById(id: string): Promise<UserAccount | null> {
    return this.#tables.users.get(id) ?? null;
  }

  async list(): Promise<UserAccount[]> {
    return [...this.#tables.users.values()].sort((a, b) =>
      a.email < b.email ? -1 : a.email > b.email ? 1 : 0,
    );
  }

  async page(query: PageQuery): Promise<UserAccount[]> {
    return (await this.list())
      .filter((u) => query.after === undefined || u.email > query.after)
      .filter((u) => u.id === query.search || matchesSearch(query.search, u.email))
      .slice(0, query.limit);
  }

  async setClaims(
    email: string,
    claims: StandardClaims,
    actor: string,
    now: number,
  ): Promise<UserAccount> {
    const existing = this.#byEmail(email);
    if (!existing) throw new StoreError('not_found', `no user with email ${email.toLowerCase()}`);
    const user = { ...existing, claims: structuredClone(claims) };
    this.#tables.users.set(user.id, user);
    this.#tables.recordAudit(
      {
        type: 'user.updated',
        actor,
        userId: user.id,
        data: { changed: changedClaims(existing.claims, claims) },
      },
      now,
    );
    return user;
  }

  async create(user: NewUser, actor: string, now: number): Promise<UserAccount> {
    const email = user.email.toLowerCase();
    if (this.#byEmail(email))
      throw new StoreError('conflict', `a user with email ${email} already exists`);
    const account: UserAccount = {
      id: user.id,
      email,
      passwordHash: user.passwordHash,
      disabled: false,
      admin: false,
      claims: structuredClone(user.claims),
      createdAt: now,
    };
    this.#tables.users.set(account.id, account);
    this.#tables.recordAudit({ type: 'user.created', actor, userId: account.id }, now);
    return account;
  }

  async setAdmin(email: string, admin: boolean, actor: string, now: number): Promise<UserAccount> {
    const existing = this.#byEmail(email);
    if (!existing) throw new StoreError('not_found', `no user with email ${email.toLowerCase()}`);
    const user = { ...existing, admin };
    this.#tables.users.set(user.id, user);
    const type = admin ? 'user.admin_granted' : 'user.admin_revoked';
    this.#tables.recordAudit({ type, actor, userId: user.id }, now);
    return user;
  }

  async setDisabled(
    email: string,
    disabled: boolean,
    actor: string,
    now: number,
  ): Promise<UserChange> {
    return this.#updateAndRevoke(
      email,
      { disabled },
      disabled,
      disabled ? 'user.disabled' : 'user.enabled',
      actor,
      now,
    );
  }

  async revokeAllSessions(email: string, actor: string, now: number): Promise<UserChange> {
    return this.#updateAndRevoke(email, {}, true, 'user.sessions_revoked', actor, now);
  }

  async setPasswordHash(
    email: string,
    passwordHash: string,
    actor: string,
    now: number,
    options: { keepSessionId?: string } = {},
  ): Promise<UserChange> {
    return this.#updateAndRevoke(
      email,
      { passwordHash },
      true,
      'user.password_changed',
      actor,
      now,
      options.keepSessionId,
    );
  }

  #byEmail(email: string): UserAccount | undefined {
    const normalized = email.toLowerCase();
    return [...this.#tables.users.values()].find((u) => u.email === normalized);
  }

  #updateAndRevoke(
    email: string,
    change: Partial<UserAccount>,
    revoke: boolean,
    event: string,
    actor: string,
    now: number,
    keepSessionId?: string,
  ): UserChange {
    const tables = this.#tables;
    const existing = this.#byEmail(email);
    if (!existing) throw new StoreError('not_found', `no user with email ${email.toLowerCase()}`);
    const user = { ...existing, ...change };
    tables.users.set(user.id, user);
    let revokedFamilies = 0;
    const endedSessions: EndedSession[] = [];
    if (revoke) {
      for (const family of tables.families.values())
        if (family.userId === user.id && tables.revokeFamily(family.id, now)) revokedFamilies += 1;
      for (const session of [...tables.sessions.values()]) {
        if (session.userId !== user.id || session.id === keepSessionId) continue;
        const ended = tables.endSession(session.id, now);
        if (ended) endedSessions.push(ended);
      }
    }
    tables.recordAudit(
      { type: event, actor, userId: user.id, data: revoke ? { revokedFamilies } : {} },
      now,
    );
    return {
      ...user,
      endedSessions: endedSessions.sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1)),
    };
  }
}
