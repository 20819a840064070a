import type {
  ActiveSession,
  ActiveSessionQuery,
  BrowserSessionRecord,
  BrowserSessionStore,
  EndedSession,
  ListedSession,
} from '../ports/browser-session-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `BrowserSessionStore`, on shared in-memory tables. */
export class MemoryBrowserSessionStore implements BrowserSessionStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async create(session: Omit<BrowserSessionRecord, 'endedAt'>, now: number): Promise<void> {
    this.#tables.sessions.set(session.id, { ...structuredClone(session), endedAt: null });
    this.#tables.sessionCreatedAt.set(session.id, now);
  }

  async find(id: string): Promise<BrowserSessionRecord | null> {
    return this.#tables.sessions.get(id) ?? null;
  }

  async end(
    id: string,
    now: number,
    options: { revokeFamilies?: boolean; reason?: string; actor?: string } = {},
  ): Promise<{ revokedFamilies: number; ended: EndedSession | null }> {
    const tables = this.#tables;
    const ended = tables.endSession(id, now);
    const revokedFamilies = options.revokeFamilies ? tables.revokeSessionFamilies(id, now) : 0;
    if (ended !== null && options.actor !== undefined)
      tables.recordAudit(
        {
          type: 'session.ended',
          actor: options.actor,
          userId: ended.userId,
          data: { reason: options.reason ?? 'logout', revokedFamilies },
        },
        now,
      );
    return { revokedFamilies, ended };
  }

  async addClient(sessionId: string, clientId: string, now: number): Promise<void> {
    const tables = this.#tables;
    if (!tables.sessions.has(sessionId)) return;
    const clients = tables.sessionClients.get(sessionId) ?? new Set<string>();
    clients.add(clientId);
    tables.sessionClients.set(sessionId, clients);
    const key = `${sessionId} ${clientId}`;
    if (!tables.sessionClientSince.has(key)) tables.sessionClientSince.set(key, now);
  }

  async listForUser(userId: string, now: number): Promise<ListedSession[]> {
    return this.#live(now)
      .filter((s) => s.userId === userId)
      .sort((a, b) => b.authTime - a.authTime)
      .map((s) => this.#listed(s));
  }

  async listLive(query: ActiveSessionQuery, now: number): Promise<ActiveSession[]> {
    const { userId, clientId, before, limit } = query;
    return this.#live(now)
      .map((s) => this.#listed(s))
      .filter(
        (s) =>
          (userId === undefined || s.userId === userId) &&
          (clientId === undefined || s.clientIds.includes(clientId)) &&
          (before === undefined ||
            s.createdAt < before.createdAt ||
            (s.createdAt === before.createdAt && s.id < before.id)),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit)
      .map((s) => ({
        ...s,
        userEmail: this.#tables.users.get(s.userId)?.email ?? '',
        lastSeenAt: this.#lastSeenAt(s),
      }));
  }

  #live(now: number): BrowserSessionRecord[] {
    return [...this.#tables.sessions.values()].filter(
      (s) => s.endedAt === null && s.expiresAt > now,
    );
  }

  #listed(s: BrowserSessionRecord): ListedSession {
    const tables = this.#tables;
    const clients = new Set(tables.sessionClients.get(s.id));
    for (const family of tables.families.values())
      if (family.sessionId === s.id) clients.add(family.clientId);
    return {
      ...s,
      createdAt: tables.sessionCreatedAt.get(s.id) ?? s.authTime,
      clientIds: [...clients].sort(),
    };
  }

  #lastSeenAt(s: ListedSession): number {
    const tables = this.#tables;
    let latest = s.createdAt;
    for (const clientId of s.clientIds)
      latest = Math.max(latest, tables.sessionClientSince.get(`${s.id} ${clientId}`) ?? latest);
    for (const family of tables.families.values())
      if (family.sessionId === s.id) latest = Math.max(latest, family.createdAt);
    return latest;
  }

  async endOthers(
    userId: string,
    keepId: string,
    now: number,
    options: { reason: string; actor: string },
  ): Promise<{ revokedFamilies: number; ended: EndedSession[] }> {
    const tables = this.#tables;
    const ended: EndedSession[] = [];
    let revokedFamilies = 0;
    const others = [...tables.sessions.values()]
      .filter((s) => s.userId === userId && s.id !== keepId)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const session of others) {
      const one = tables.endSession(session.id, now);
      if (!one) continue;
      const revoked = tables.revokeSessionFamilies(session.id, now);
      revokedFamilies += revoked;
      ended.push(one);
      tables.recordAudit(
        {
          type: 'session.ended',
          actor: options.actor,
          userId,
          data: { reason: options.reason, revokedFamilies: revoked },
        },
        now,
      );
    }
    return { revokedFamilies, ended };
  }
}
