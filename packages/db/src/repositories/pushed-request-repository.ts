import type { FoundPushedRequest, PushedRequestRecord, PushedRequestStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { table } from './rows.js';

const requests = table<FoundPushedRequest>('PushedAuthorizationRequest', {
  ...{ requestUriHash: ['value', 'id'], clientId: 'value', parameters: 'json' },
  ...{ expiresAt: 'time', consumedAt: 'time' },
});

/** Pushed authorization requests (RFC 9126), by request_uri hash (ports/pushed-request-store.ts). */
export class PushedRequestRepository implements PushedRequestStore {
  constructor(private readonly db: Database) {}

  async save(record: PushedRequestRecord, now: number): Promise<void> {
    const insert = requests.insert({ ...record, consumedAt: null }, { createdAt: new Date(now) });
    await this.db.sql.execute(insert);
  }

  async find(requestUriHash: string): Promise<FoundPushedRequest | null> {
    const where = { id: requestUriHash };
    return requests.read(await this.db.prisma.pushedAuthorizationRequest.findUnique({ where }));
  }

  /** One conditional update: of concurrent calls only the first finds consumedAt still null. */
  async consume(requestUriHash: string, now: number): Promise<boolean> {
    const { count } = await this.db.prisma.pushedAuthorizationRequest.updateMany({
      where: { id: requestUriHash, consumedAt: null },
      data: { consumedAt: new Date(now) },
    });
    return count === 1;
  }
}
