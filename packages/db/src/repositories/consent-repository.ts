import { randomUUID } from 'node:crypto';
import type { ConsentGrant, ConsentRecord, ConsentStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { audit, words } from './rows.js';
import { revokeFamilies } from './token-family-repository.js';

/** What each user allowed each client: a set of scopes, and claims asked for one by one. */
export class ConsentRepository implements ConsentStore {
  constructor(private readonly db: Database) {}

  /** Raw SQL (database.ts): every authorization request of a third-party client asks. */
  async granted(userId: string, clientId: string): Promise<ConsentGrant> {
    const [row] = await this.db.sql.query<{ scope: string; claims: string }>(
      Prisma.sql`SELECT "scope", "claims" FROM "Consent" WHERE "userId" = ${userId} AND "clientId" = ${clientId}`,
    );
    return { scopes: words(row?.scope), claims: words(row?.claims) };
  }

  /**
   * Adds scopes, and claims granted one by one (OIDC Core 5.5), to what the user granted the
   * client (consent accumulates, RFC 6749 3.3).
   */
  async grant(
    userId: string,
    clientId: string,
    scopes: readonly string[],
    claims: readonly string[] = [],
  ): Promise<void> {
    const where = { userId_clientId: { userId, clientId } };
    await this.db.prisma.$transaction(async (tx) => {
      const existing = await tx.consent.findUnique({ where });
      const scope = [...new Set([...words(existing?.scope), ...scopes])].join(' ');
      const claimNames = [...new Set([...words(existing?.claims), ...claims])].join(' ');
      await tx.consent.upsert({
        where,
        create: { id: randomUUID(), userId, clientId, scope, claims: claimNames },
        update: { scope, claims: claimNames },
      });
    });
  }

  async listForUser(userId: string): Promise<ConsentRecord[]> {
    const rows = await this.db.prisma.consent.findMany({
      where: { userId },
      orderBy: { clientId: 'asc' },
    });
    return rows.map(({ clientId, scope, claims }) => {
      return { clientId, scopes: words(scope), claims: words(claims) };
    });
  }

  /** Deletes the consent and revokes the pair's live families, offline ones too, with the event. */
  async revoke(
    userId: string,
    clientId: string,
    actor: string,
    nowMs: number,
  ): Promise<{ revoked: boolean; revokedFamilies: number }> {
    return this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.consent.deleteMany({ where: { userId, clientId } });
      if (count === 0) return { revoked: false, revokedFamilies: 0 };
      const at = new Date(nowMs);
      const revokedFamilies = await revokeFamilies(tx, { userId, clientId }, at, 'consent.revoked');
      const event = { type: 'consent.revoked', actor, userId, clientId };
      await audit(tx, { ...event, data: { revokedFamilies } }, nowMs);
      return { revoked: true, revokedFamilies };
    });
  }
}
