import type { FoundPushedRequest, PushedRequestRecord, PushedRequestStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';

/** Pushed authorization requests (RFC 9126), by request_uri hash (ports/pushed-request-store.ts). */
export class PushedRequestRepository implements PushedRequestStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async save(record: PushedRequestRecord, now: number): Promise<void> {
    await this.#db.sql.execute(Prisma.sql`
      INSERT INTO "PushedAuthorizationRequest" ("id", "clientId", "parameters", "createdAt", "expiresAt")
      VALUES (${record.requestUriHash}, ${record.clientId}, ${JSON.stringify(record.parameters)}, ${new Date(now)}, ${new Date(record.expiresAt)})`);
  }

  async find(requestUriHash: string): Promise<FoundPushedRequest | null> {
    const row = await this.#db.prisma.pushedAuthorizationRequest.findUnique({
      where: { id: requestUriHash },
    });
    if (!row) return null;
    return {
      requestUriHash: row.id,
      clientId: row.clientId,
      parameters: JSON.parse(row.parameters) as PushedRequestRecord['parameters'],
      expiresAt: row.expiresAt.getTime(),
      consumedAt: row.consumedAt?.getTime() ?? null,
    };
  }

  /** One conditional update: of concurrent calls only the first finds consumedAt still null. */
  async consume(requestUriHash: string, now: number): Promise<boolean> {
    const updated = await this.#db.sql.execute(Prisma.sql`
      UPDATE "PushedAuthorizationRequest" SET "consumedAt" = ${new Date(now)} WHERE "id" = ${requestUriHash} AND "consumedAt" IS NULL`);
    return updated === 1;
  }
}
