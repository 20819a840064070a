import type { Database } from '../database.js';

/** A browser session row; `id` is the SHA-256 of the cookie's secret value. Times in ms. */
export interface BrowserSessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr: string | null;
  readonly expiresAt: number;
  readonly endedAt: number | null;
}

/** Browser sessions (single sign-on). */
export class SessionRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async create(session: Omit<BrowserSessionRecord, 'endedAt'>): Promise<void> {
    await this.#db.prisma.browserSession.create({
      data: {
        id: session.id,
        userId: session.userId,
        authTime: new Date(session.authTime),
        amr: JSON.stringify(session.amr),
        acr: session.acr,
        expiresAt: new Date(session.expiresAt),
      },
    });
  }

  async find(id: string): Promise<BrowserSessionRecord | null> {
    const row = await this.#db.prisma.browserSession.findUnique({ where: { id } });
    if (!row) return null;
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

  async end(id: string, now: number): Promise<void> {
    await this.#db.prisma.browserSession.updateMany({ where: { id, endedAt: null }, data: { endedAt: new Date(now) } });
  }
}
