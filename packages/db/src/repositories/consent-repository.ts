import { randomUUID } from 'node:crypto';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';

/** What each user allowed each client, as a set of scopes. */
export class ConsentRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Raw SQL (see raw-rows.ts): every authorization request of a third-party client asks. */
  async grantedScopes(userId: string, clientId: string): Promise<string[]> {
    const rows = await this.#db.sql.query<{ scope: string }>(Prisma.sql`SELECT "scope" FROM "Consent" WHERE "userId" = ${userId} AND "clientId" = ${clientId}`);
    return rows[0] ? rows[0].scope.split(' ').filter(Boolean) : [];
  }

  /** Adds scopes to what the user granted the client (consent accumulates, RFC 6749 3.3). */
  async grant(userId: string, clientId: string, scopes: readonly string[]): Promise<void> {
    await this.#db.prisma.$transaction(async (tx) => {
      const existing = await tx.consent.findUnique({ where: { userId_clientId: { userId, clientId } } });
      const scope = [...new Set([...(existing?.scope.split(' ').filter(Boolean) ?? []), ...scopes])].join(' ');
      if (existing) await tx.consent.update({ where: { id: existing.id }, data: { scope } });
      else await tx.consent.create({ data: { id: randomUUID(), userId, clientId, scope } });
    });
  }
}
