import type { CollectionResult, GarbageCollector as GarbageCollectorPort } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';

export type { CollectionResult };

/** How many rows one statement deletes: small enough never to hold locks for long. */
const BATCH = 500;

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
 *   still consume it until then);
 * - device authorizations past expiry plus `keepMs` (a family one created lives by its own rules).
 * - clients known by a metadata document, not fetched for `keepMs`, that no family refers to.
 * - mailed tokens (password reset, address verification) past expiry plus `keepMs`.
 * - initial access tokens past expiry (spent or not: an expired one is refused anyway).
 * - unconfirmed one-time-code enrolments past expiry plus `keepMs`; used recovery codes used
 *   more than `keepMs` ago (an unknown code is refused like a used one).
 */
export class GarbageCollector implements GarbageCollectorPort {
  constructor(private readonly db: Database) {}

  async collect(now: number, keepMs: number, maxBatches = 20): Promise<CollectionResult> {
    const past = new Date(now - keepMs);
    const at = new Date(now);
    const drain = (table: string, expired: Prisma.Sql, key = 'id') =>
      this.#drain(
        maxBatches,
        Prisma.sql`
        DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE ${Prisma.raw(`"${key}"`)} IN
          (SELECT ${Prisma.raw(`"${key}"`)} FROM ${Prisma.raw(`"${table}"`)} WHERE ${expired} LIMIT ${Prisma.raw(`${BATCH}`)})`,
      );
    return {
      authorizationCodes: await drain('AuthorizationCode', Prisma.sql`"expiresAt" < ${past}`),
      sessions: await drain(
        'BrowserSession',
        Prisma.sql`"expiresAt" < ${past} OR "endedAt" < ${past}`,
      ),
      revokedAccessTokens: await drain(
        'RevokedAccessToken',
        Prisma.sql`"expiresAt" < ${at}`,
        'jti',
      ),
      refreshTokens: await drain('RefreshToken', Prisma.sql`"expiresAt" < ${past}`),
      tokenFamilies: await drain(
        'TokenFamily',
        Prisma.sql`"expiresAt" < ${past} OR "revokedAt" < ${past}`,
      ),
      singleUseIds: await drain('SingleUseId', Prisma.sql`"expiresAt" < ${at}`),
      pushedRequests: await drain('PushedAuthorizationRequest', Prisma.sql`"expiresAt" < ${past}`),
      deviceAuthorizations: await drain('DeviceAuthorization', Prisma.sql`"expiresAt" < ${past}`),
      emailTokens: await drain('EmailToken', Prisma.sql`"expiresAt" < ${past}`),
      // Their consents and codes go with them (foreign keys cascade).
      metadataDocumentClients: await drain(
        'Client',
        Prisma.sql`"metadataDocumentFetchedAt" < ${past} AND NOT EXISTS (SELECT 1 FROM "TokenFamily" f WHERE f."clientId" = "Client"."id")`,
      ),
      initialAccessTokens: await drain('InitialAccessToken', Prisma.sql`"expiresAt" < ${at}`),
      oneTimeCodeEnrolments: await drain(
        'OneTimeCodeFactor',
        Prisma.sql`"confirmedAt" IS NULL AND "expiresAt" < ${past}`,
        'userId',
      ),
      recoveryCodes: await this.#drain(
        maxBatches,
        Prisma.sql`
        DELETE FROM "RecoveryCode" WHERE ("userId", "codeHash") IN
          (SELECT "userId", "codeHash" FROM "RecoveryCode" WHERE "usedAt" < ${past} LIMIT ${Prisma.raw(`${BATCH}`)})`,
      ),
    };
  }

  /** Runs `batch` until it deletes fewer than BATCH rows or `maxBatches` ran, yielding between. */
  async #drain(maxBatches: number, batch: Prisma.Sql): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i += 1) {
      const deleted = await this.db.sql.execute(batch);
      total += deleted;
      if (deleted < BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }
}
