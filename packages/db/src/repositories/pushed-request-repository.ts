import type { FoundPushedRequest, PushedRequestRecord, PushedRequestStore } from '@idp/oidc';
import type { Database } from '../database.js';

/** Pushed authorization requests (RFC 9126), by request_uri hash (ports/pushed-request-store.ts). */
export class PushedRequestRepository implements PushedRequestStore {
  constructor(private readonly db: Database) {}

  async save(record: PushedRequestRecord, now: number): Promise<void> {
    await this.db.prisma.pushedAuthorizationRequest.create({
      data: {
        id: record.requestUriHash,
        clientId: record.clientId,
        parameters: JSON.stringify(record.parameters),
        createdAt: new Date(now),
        expiresAt: new Date(record.expiresAt),
      },
    });
  }

  async find(requestUriHash: string): Promise<FoundPushedRequest | null> {
    const row = await this.db.prisma.pushedAuthorizationRequest.findUnique({
      where: { id: requestUriHash },
    });
    return (
      row && {
        requestUriHash: row.id,
        clientId: row.clientId,
        parameters: JSON.parse(row.parameters) as PushedRequestRecord['parameters'],
        expiresAt: row.expiresAt.getTime(),
        consumedAt: row.consumedAt?.getTime() ?? null,
      }
    );
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
