import type { SingleUseStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';

/** Identifiers that may be used once, cluster-wide (ports/single-use-store.ts). */
export class SingleUseRepository implements SingleUseStore {
  constructor(private readonly db: Database) {}

  /** One conditional insert (raw SQL, once per form posted): of concurrent calls one inserts. */
  async consume(id: string, expiresAt: number): Promise<boolean> {
    const inserted = await this.db.sql.execute(Prisma.sql`
      INSERT INTO "SingleUseId" ("id", "expiresAt") VALUES (${id}, ${new Date(expiresAt)})
      ON CONFLICT ("id") DO NOTHING`);
    return inserted === 1;
  }
}
