import type { BrowserSessionRecord, BrowserSessionStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma, type BrowserSession } from '../generated/sqlite/client.js';
import { auditRow } from './audit.js';
import { canMatchStoredText } from './lookup-key.js';
import { SESSION_COLUMNS } from './raw-rows.js';

export type { BrowserSessionRecord };

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

/** Browser sessions (single sign-on). */
export class SessionRepository implements BrowserSessionStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Raw SQL (see raw-rows.ts): one per login. */
  async create(session: Omit<BrowserSessionRecord, 'endedAt'>, now: number): Promise<void> {
    await this.#db.sql.execute(Prisma.sql`
      INSERT INTO "BrowserSession" ("id", "userId", "authTime", "amr", "acr", "createdAt", "expiresAt")
      VALUES (${session.id}, ${session.userId}, ${new Date(session.authTime)}, ${JSON.stringify(session.amr)}, ${session.acr}, ${new Date(now)}, ${new Date(session.expiresAt)})`);
  }

  /** Raw SQL (see raw-rows.ts): one per authorization request that carries a session cookie. */
  async find(id: string): Promise<BrowserSessionRecord | null> {
    if (!canMatchStoredText(id)) return null;
    const rows = await this.#db.sql.query<BrowserSession>(
      Prisma.sql`SELECT ${SESSION_COLUMNS} FROM "BrowserSession" WHERE "id" = ${id}`,
    );
    return rows[0] ? toSessionRecord(rows[0]) : null;
  }

  /**
   * Ends a session. With `revokeFamilies`, the token families born in it end too, except those
   * granted offline_access, which by definition outlive the browser session (OIDC Core 11).
   */
  async end(
    id: string,
    now: number,
    options: { revokeFamilies?: boolean; reason?: string; actor?: string } = {},
  ): Promise<{ revokedFamilies: number }> {
    const reason = options.reason ?? 'logout';
    return this.#db.prisma.$transaction(async (tx) => {
      const ended = await tx.browserSession.updateMany({
        where: { id, endedAt: null },
        data: { endedAt: new Date(now) },
      });
      let revokedFamilies = 0;
      if (options.revokeFamilies) {
        revokedFamilies = (
          await tx.tokenFamily.updateMany({
            where: { sessionId: id, offlineAccess: false, revokedAt: null },
            data: { revokedAt: new Date(now), revokedReason: reason },
          })
        ).count;
      }
      if (ended.count > 0 && options.actor !== undefined) {
        const session = await tx.browserSession.findUnique({
          where: { id },
          select: { userId: true },
        });
        await tx.auditEvent.create({
          data: auditRow(
            {
              type: 'session.ended',
              actor: options.actor,
              ...(session ? { userId: session.userId } : {}),
              data: { reason, revokedFamilies },
            },
            now,
          ),
        });
      }
      return { revokedFamilies };
    });
  }

  /** A user's live sessions, newest first. */
  async listForUser(userId: string, now: number): Promise<BrowserSessionRecord[]> {
    const rows = await this.#db.prisma.browserSession.findMany({
      where: { userId, endedAt: null, expiresAt: { gt: new Date(now) } },
      orderBy: { authTime: 'desc' },
    });
    return rows.map(toSessionRecord);
  }
}
