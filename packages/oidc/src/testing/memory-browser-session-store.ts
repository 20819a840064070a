import type {
  BrowserSessionRecord,
  BrowserSessionStore,
  EndedSession,
} from '../ports/browser-session-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `BrowserSessionStore`, on shared in-memory tables. */
export class MemoryBrowserSessionStore implements BrowserSessionStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async create(session: Omit<BrowserSessionRecord, 'endedAt'>, _now: number): Promise<void> {
    this.#tables.sessions.set(session.id, { ...structuredClone(session), endedAt: null });
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
    let revokedFamilies = 0;
    if (options.revokeFamilies) {
      for (const family of tables.families.values()) {
        if (family.sessionId === id && !family.offlineAccess && tables.revokeFamily(family.id, now))
          revokedFamilies += 1;
      }
    }
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

  async addClient(sessionId: string, clientId: string, _now: number): Promise<void> {
    const tables = this.#tables;
    if (!tables.sessions.has(sessionId)) return;
    const clients = tables.sessionClients.get(sessionId) ?? new Set<string>();
    clients.add(clientId);
    tables.sessionClients.set(sessionId, clients);
  }

  async listForUser(userId: string, now: number): Promise<BrowserSessionRecord[]> {
    return [...this.#tables.sessions.values()]
      .filter((s) => s.userId === userId && s.endedAt === null && s.expiresAt > now)
      .sort((a, b) => b.authTime - a.authTime);
  }
}
