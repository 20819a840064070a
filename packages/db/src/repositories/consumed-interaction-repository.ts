import type { ConsumedInteractionStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';

/** Login and consent interactions whose form was accepted: each may be used once, cluster-wide. */
export class ConsumedInteractionRepository implements ConsumedInteractionStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Marks interaction `id` used; true only for the first call with that id, on any instance
   * sharing the database (one conditional insert: of concurrent calls exactly one inserts).
   * `expiresAt` is when the interaction expires anyway, after which clean-up may forget it.
   */
  async consume(id: string, expiresAt: number): Promise<boolean> {
    const inserted = await this.#db.sql.execute(Prisma.sql`
      INSERT INTO "ConsumedInteraction" ("id", "expiresAt") VALUES (${id}, ${new Date(expiresAt)})
      ON CONFLICT ("id") DO NOTHING`);
    return inserted === 1;
  }
}
