import type {
  ActiveSession,
  ActiveSessionQuery,
  BrowserSessionRecord,
  BrowserSessionStore,
  EndedSession,
  ListedSession,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { audit, canMatchStoredText, table } from './rows.js';
import { revokeFamilies } from './token-family-repository.js';

const sessions = table<BrowserSessionRecord>('BrowserSession', {
  ...{ id: 'value', userId: 'value', authTime: 'time', amr: 'list', acr: 'value' },
  ...{ expiresAt: 'time', endedAt: 'time' },
});

/** What ending sessions needs of a transaction. */
type SessionTx = Pick<Prisma.TransactionClient, 'browserSession' | 'browserSessionClient'>;

/** The families born in a session that end with it: offline_access outlives it (OIDC Core 11). */
const onlineIn = (sessionId: string) => ({ sessionId, offlineAccess: false });

/** Which of a user's sessions to end: one by id, all of them, or all but one. */
type SessionSelection =
  { id: string } | { userId: string } | { userId: string; id: { not: string } };

/**
 * Ends the live sessions `where` selects, at `now`, and answers each with its clients. Only the
 * rows whose update this call won are answered (`endedAt` still null at the update, in the
 * transaction), so of concurrent calls one reports a session, and its clients hear of it once.
 */
async function endSessions(
  tx: SessionTx,
  where: SessionSelection,
  now: Date,
): Promise<EndedSession[]> {
  const live = await tx.browserSession.findMany({
    where: { ...where, endedAt: null },
    select: { id: true, userId: true, clients: { select: { clientId: true } } },
    orderBy: { id: 'asc' },
  });
  const ended: EndedSession[] = [];
  for (const { id, userId, clients } of live) {
    const { count } = await tx.browserSession.updateMany({
      where: { id, endedAt: null },
      data: { endedAt: now },
    });
    const clientIds = clients.map((c) => c.clientId).sort();
    if (count === 1) ended.push({ sessionId: id, userId, clientIds });
  }
  return ended;
}

/**
 * Revokes every live token family of the user (offline ones too) and ends their sessions, but
 * `keepSessionId`: after their credentials changed, whoever held the old ones keeps no way in.
 */
export async function signOutUser(
  tx: SessionTx & Pick<Prisma.TransactionClient, 'tokenFamily'>,
  userId: string,
  at: Date,
  reason: string,
  keepSessionId?: string,
): Promise<{ revokedFamilies: number; endedSessions: EndedSession[] }> {
  const revokedFamilies = await revokeFamilies(tx, { userId }, at, reason);
  const sessions =
    keepSessionId === undefined ? { userId } : { userId, id: { not: keepSessionId } };
  return { revokedFamilies, endedSessions: await endSessions(tx, sessions, at) };
}

/** Browser sessions (single sign-on); creating and finding one are raw SQL (database.ts). */
export class SessionRepository implements BrowserSessionStore {
  constructor(private readonly db: Database) {}

  async create(session: Omit<BrowserSessionRecord, 'endedAt'>, now: number): Promise<void> {
    const record = { ...session, endedAt: null };
    await this.db.sql.execute(sessions.insert(record, { createdAt: new Date(now) }));
  }

  async find(id: string): Promise<BrowserSessionRecord | null> {
    if (!canMatchStoredText(id)) return null;
    const [row] = await this.db.sql.query(
      Prisma.sql`SELECT ${sessions.select('s')} FROM "BrowserSession" s WHERE s."id" = ${id}`,
    );
    return sessions.read(row, 's');
  }

  /** Ends a session; with `revokeFamilies`, its online families too. */
  async end(
    id: string,
    now: number,
    options: { revokeFamilies?: boolean; reason?: string; actor?: string } = {},
  ): Promise<{ revokedFamilies: number; ended: EndedSession | null }> {
    if (!canMatchStoredText(id)) return { revokedFamilies: 0, ended: null };
    const at = new Date(now);
    const { reason = 'logout', actor } = options;
    return this.db.prisma.$transaction(async (tx) => {
      const [ended = null] = await endSessions(tx, { id }, at);
      const revokedFamilies = options.revokeFamilies
        ? await revokeFamilies(tx, onlineIn(id), at, reason)
        : 0;
      if (ended !== null && actor !== undefined) {
        const data = { reason, revokedFamilies };
        await audit(tx, { type: 'session.ended', actor, userId: ended.userId, data }, now);
      }
      return { revokedFamilies, ended };
    });
  }

  /** On each code issued to a client with a logout URI. Idempotent; a session gone meanwhile records nothing. */
  async addClient(sessionId: string, clientId: string, now: number): Promise<void> {
    await this.db.sql.execute(Prisma.sql`
      INSERT INTO "BrowserSessionClient" ("sessionId", "clientId", "createdAt")
      SELECT ${sessionId}, ${clientId}, ${new Date(now)}
      WHERE EXISTS (SELECT 1 FROM "BrowserSession" WHERE "id" = ${sessionId})
      ON CONFLICT DO NOTHING`);
  }

  /** A user's live sessions, newest first, with the clients known to have taken part. */
  async listForUser(userId: string, now: number): Promise<ListedSession[]> {
    const rows = await this.db.prisma.browserSession.findMany({
      where: { userId, endedAt: null, expiresAt: { gt: new Date(now) } },
      orderBy: { authTime: 'desc' },
      include: {
        clients: { select: { clientId: true } },
        families: { select: { clientId: true }, distinct: ['clientId'] },
      },
    });
    return rows.map((row) => ({
      ...sessions.read(row)!,
      createdAt: row.createdAt.getTime(),
      clientIds: [...new Set([...row.clients, ...row.families].map((c) => c.clientId))].sort(),
    }));
  }

  /**
   * The server's live sessions, newest first, a page at a time. Ordered by creation time, which
   * is not indexed: the list is for an operator's screen, not a request path.
   */
  async listLive(query: ActiveSessionQuery, now: number): Promise<ActiveSession[]> {
    const { userId, clientId, before, limit } = query;
    if (![userId, clientId, before?.id].every((t) => t === undefined || canMatchStoredText(t)))
      return [];
    const rows = await this.db.prisma.browserSession.findMany({
      // Prisma leaves out a filter whose value is undefined.
      where: {
        userId,
        endedAt: null,
        expiresAt: { gt: new Date(now) },
        OR:
          clientId === undefined
            ? undefined
            : [{ clients: { some: { clientId } } }, { families: { some: { clientId } } }],
        AND: before && {
          OR: [
            { createdAt: { lt: new Date(before.createdAt) } },
            { createdAt: new Date(before.createdAt), id: { lt: before.id } },
          ],
        },
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      include: {
        user: { select: { email: true } },
        clients: { select: { clientId: true, createdAt: true } },
        families: { select: { clientId: true, createdAt: true } },
      },
    });
    return rows.map((row) => {
      const takingPart = [...row.clients, ...row.families];
      return {
        ...sessions.read(row)!,
        createdAt: row.createdAt.getTime(),
        clientIds: [...new Set(takingPart.map((c) => c.clientId))].sort(),
        userEmail: row.user.email,
        lastSeenAt: Math.max(
          row.createdAt.getTime(),
          ...takingPart.map((c) => c.createdAt.getTime()),
        ),
      };
    });
  }

  /** "Sign out everywhere else": one transaction, one audit event per session ended. */
  async endOthers(
    userId: string,
    keepId: string,
    now: number,
    options: { reason: string; actor: string },
  ): Promise<{ revokedFamilies: number; ended: EndedSession[] }> {
    if (!canMatchStoredText(userId)) return { revokedFamilies: 0, ended: [] };
    const at = new Date(now);
    return this.db.prisma.$transaction(async (tx) => {
      const ended = await endSessions(tx, { userId, id: { not: keepId } }, at);
      let revokedFamilies = 0;
      for (const session of ended) {
        const count = await revokeFamilies(tx, onlineIn(session.sessionId), at, options.reason);
        revokedFamilies += count;
        const data = { reason: options.reason, revokedFamilies: count };
        await audit(tx, { type: 'session.ended', actor: options.actor, userId, data }, now);
      }
      return { revokedFamilies, ended };
    });
  }
}
