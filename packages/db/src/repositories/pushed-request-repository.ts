import type { FoundPushedRequest, PushedRequestRecord, PushedRequestStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { table } from './rows.js';

const requests = table<FoundPushedRequest>('PushedAuthorizationRequest', {
  ...{ requestUriHash: ['value', 'id'], clientId: 'value', parameters: 'json' },
  ...{ expiresAt: 'time', consumedAt: 'time' },
});

/**
 * Pushed authorization requests (RFC 9126), by request_uri hash (ports/pushed-request-store.ts).
 * Every method is one raw statement: each is on a request's path (/par, /authorize, the code).
 */
export class PushedRequestRepository implements PushedRequestStore {
  constructor(private readonly db: Database) {}

  async save(record: PushedRequestRecord, now: number): Promise<void> {
    const insert = requests.insert({ ...record, consumedAt: null }, { createdAt: new Date(now) });
    await this.db.sql.execute(insert);
  }

  async find(requestUriHash: string): Promise<FoundPushedRequest | null> {
    const [row] = await this.db.sql.query(Prisma.sql`
      SELECT ${requests.select('p')} FROM "PushedAuthorizationRequest" p WHERE p."id" = ${requestUriHash}`);
    return requests.read(row, 'p');
  }

  /** One conditional update: of concurrent calls only the first finds consumedAt still null. */
  async consume(requestUriHash: string, now: number): Promise<boolean> {
    const updated = await this.db.sql.execute(Prisma.sql`
      UPDATE "PushedAuthorizationRequest" SET "consumedAt" = ${new Date(now)}
      WHERE "id" = ${requestUriHash} AND "consumedAt" IS NULL`);
    return updated === 1;
  }
}
