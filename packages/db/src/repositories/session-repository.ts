import type { BrowserSessionRecord, BrowserSessionStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma, type BrowserSession } from '../generated/sqlite/client.js';
import { aliased, canMatchStoredText, columns, type RawRow } from './rows.js';

export type { BrowserSessionRecord };

const SESSION_COLUMNS = columns('s', [
  ...['id', 'userId', 'authTime', 'amr', 'acr', 'createdAt', 'expiresAt', 'endedAt'],
]);

function toSessionRecord(row: BrowserSession): BrowserSessionRecord {
  return {
    id: row.id,
    userId: row.userId,
    authTime: row.authTime.getTime(),
    amr: JSON.parse(row.amr) as string[],
    acr: row.acr,
    expiresAt: row.expiresAt.getTime(),
    endedAt: row.endedAt?.getTime() ?? null,
  };
}

/** Browser sessions (single sign-on); creating and finding one are raw SQL (raw-sql.ts). */
export class SessionRepository implements BrowserSessionStore {
  constructor(private readonly db: Database) {}

  async create(session: Omit<BrowserSessionRecord, 'endedAt'>, now: number): Promise<void> {
    const s = session;
    await this.db.sql.execute(Prisma.sql`
      INSERT INTO "BrowserSession" ("id", "userId", "authTime", "amr", "acr", "createdAt", "expiresAt")
      VALUES (${s.id}, ${s.userId}, ${new Date(s.authTime)}, ${JSON.stringify(s.amr)}, ${s.acr}, ${new Date(now)}, ${new Date(s.expiresAt)})`);
  }

  async find(id: string): Promise<BrowserSessionRecord | null> {
    if (!canMatchStoredText(id)) return null;
    const [row] = await this.db.sql.query<RawRow>(
      Prisma.sql`SELECT ${SESSION_COLUMNS} FROM "BrowserSession" s WHERE s."id" = ${id}`,
    );
    return row ? toSessionRecord(aliased<BrowserSession>(row, 's')!) : null;
  }

  /**
   * Ends a session. With `revokeFamilies`, the token families born in it end too, except those
   * granted offline_access, which by definition outlive the browser session (OIDC Core 11).
   */
  async end(id: string, now: number, options: { revokeFamilies?: boolean; reason?: string } = {}) {
    const at = new Date(now);
    return this.db.prisma.$transaction(async (tx) => {
      await tx.browserSession.updateMany({ where: { id, endedAt: null }, data: { endedAt: at } });
      if (!options.revokeFamilies) return { revokedFamilies: 0 };
      const { count } = await tx.tokenFamily.updateMany({
        where: { sessionId: id, offlineAccess: false, revokedAt: null },
        data: { revokedAt: at, revokedReason: options.reason ?? 'logout' },
      });
      return { revokedFamilies: count };
    });
  }

  /** A user's live sessions, newest first. */
  async listForUser(userId: string, now: number): Promise<BrowserSessionRecord[]> {
    const rows = await this.db.prisma.browserSession.findMany({
      where: { userId, endedAt: null, expiresAt: { gt: new Date(now) } },
      orderBy: { authTime: 'desc' },
    });
    return rows.map(toSessionRecord);
  }
}
