import type { CollectionResult, GarbageCollector as GarbageCollectorPort } from '@idp/oidc';
import type { Database } from '../database.js';

/** How many rows one statement deletes: small enough never to hold locks for long. */
const BATCH = 500;

export type { CollectionResult };

/**
 * Deletes what can no longer matter, in bounded batches, so tables stop growing:
 * - authorization codes past expiry plus `keepMs` (a replay after that is refused anyway);
 * - sessions that ended or expired more than `keepMs` ago (families keep living, unlinked);
 * - revocation-list entries whose access token has expired;
 * - refresh tokens past their own expiry (an expired token fails its signature check first, so
 *   keeping it adds nothing to reuse detection);
 * - token families that expired or were revoked more than `keepMs` ago, with their tokens;
 * - used login and consent interactions past their expiry (a replayed form has expired by then);
 * - pushed authorization requests past expiry plus `keepMs` (an authorization begun with one may
 *   still consume it until then).
 * - device authorizations past expiry plus `keepMs` (a family one created lives by its own rules).
 * - initial access tokens past expiry (spent or not: an expired one is refused anyway).
 */
export class GarbageCollector implements GarbageCollectorPort {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async collect(now: number, keepMs: number, maxBatches = 20): Promise<CollectionResult> {
    const past = new Date(now - keepMs);
    const nowDate = new Date(now);
    const prisma = this.#db.prisma;
    return {
      authorizationCodes: await this.#drain(maxBatches, async () => {
        const rows = await prisma.authorizationCode.findMany({
          where: { expiresAt: { lt: past } },
          select: { id: true },
          take: BATCH,
        });
        return (
          await prisma.authorizationCode.deleteMany({
            where: { id: { in: rows.map((r) => r.id) } },
          })
        ).count;
      }),
      sessions: await this.#drain(maxBatches, async () => {
        const rows = await prisma.browserSession.findMany({
          where: { OR: [{ expiresAt: { lt: past } }, { endedAt: { lt: past } }] },
          select: { id: true },
          take: BATCH,
        });
        return (
          await prisma.browserSession.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })
        ).count;
      }),
      revokedAccessTokens: await this.#drain(maxBatches, async () => {
        const rows = await prisma.revokedAccessToken.findMany({
          where: { expiresAt: { lt: nowDate } },
          select: { jti: true },
          take: BATCH,
        });
        return (
          await prisma.revokedAccessToken.deleteMany({
            where: { jti: { in: rows.map((r) => r.jti) } },
          })
        ).count;
      }),
      refreshTokens: await this.#drain(maxBatches, async () => {
        const rows = await prisma.refreshToken.findMany({
          where: { expiresAt: { lt: past } },
          select: { id: true },
          take: BATCH,
        });
        return (
          await prisma.refreshToken.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })
        ).count;
      }),
      tokenFamilies: await this.#drain(maxBatches, async () => {
        const rows = await prisma.tokenFamily.findMany({
          where: { OR: [{ expiresAt: { lt: past } }, { revokedAt: { lt: past } }] },
          select: { id: true },
          take: BATCH,
        });
        return (
          await prisma.tokenFamily.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })
        ).count;
      }),
      singleUseIds: await this.#drain(maxBatches, async () => {
        const rows = await prisma.singleUseId.findMany({
          where: { expiresAt: { lt: nowDate } },
          select: { id: true },
          take: BATCH,
        });
        return (
          await prisma.singleUseId.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })
        ).count;
      }),
      pushedRequests: await this.#drain(maxBatches, async () => {
        const rows = await prisma.pushedAuthorizationRequest.findMany({
          where: { expiresAt: { lt: past } },
          select: { id: true },
          take: BATCH,
        });
        return (
          await prisma.pushedAuthorizationRequest.deleteMany({
            where: { id: { in: rows.map((r) => r.id) } },
          })
        ).count;
      }),
      deviceAuthorizations: await this.#drain(maxBatches, async () => {
        const rows = await prisma.deviceAuthorization.findMany({
          where: { expiresAt: { lt: past } },
          select: { id: true },
          take: BATCH,
        });
        return (
          await prisma.deviceAuthorization.deleteMany({
            where: { id: { in: rows.map((r) => r.id) } },
          })
        ).count;
      }),
      initialAccessTokens: await this.#drain(maxBatches, async () => {
        const rows = await prisma.initialAccessToken.findMany({
          where: { expiresAt: { lt: nowDate } },
          select: { id: true },
          take: BATCH,
        });
        return (
          await prisma.initialAccessToken.deleteMany({
            where: { id: { in: rows.map((r) => r.id) } },
          })
        ).count;
      }),
    };
  }

  /** Runs `batch` until it deletes nothing or `maxBatches` ran, yielding between batches. */
  async #drain(maxBatches: number, batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i += 1) {
      const deleted = await batch();
      total += deleted;
      if (deleted < BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }
}
