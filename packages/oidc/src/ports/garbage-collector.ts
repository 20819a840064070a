/** How many records of each kind one collection deleted. */
export interface CollectionResult {
  readonly authorizationCodes: number;
  readonly sessions: number;
  readonly revokedAccessTokens: number;
  readonly refreshTokens: number;
  readonly tokenFamilies: number;
  readonly singleUseIds: number;
  readonly pushedRequests: number;
  readonly deviceAuthorizations: number;
  readonly emailTokens: number;
  readonly metadataDocumentClients: number;
  readonly initialAccessTokens: number;
  readonly oneTimeCodeEnrolments: number;
  readonly recoveryCodes: number;
  readonly logoutDeliveries: number;
}

/**
 * Clean-up of what can no longer matter, so that stores stop growing. `keepMs` keeps records
 * past their end a while longer (a replay of a just-expired code is still recognised).
 *
 * Contract: `collect` deletes, as of `now`, every record strictly past its boundary, and nothing
 * else; a record exactly at its boundary stays. The boundaries are:
 * - authorization codes whose `expiresAt` < now − keepMs;
 * - browser sessions that expired or ended before now − keepMs (their families live on, with
 *   `sessionId` null);
 * - revocation-list entries whose access token expired before now;
 * - refresh tokens whose `expiresAt` < now − keepMs (an expired token fails its signature
 *   check first, so keeping it adds nothing to reuse detection);
 * - token families that expired or were revoked before now − keepMs, with their refresh tokens
 *   (counted under `refreshTokens` only when deleted by their own boundary);
 * - consumed interactions whose `expiresAt` < now (a replayed form has expired by then);
 * - pushed authorization requests whose `expiresAt` < now − keepMs (an authorization begun with
 *   one may still consume it after its lifetime, until then).
 * - device authorizations whose `expiresAt` < now − keepMs (the family a redeemed one created
 *   lives on by its own boundary).
 * - e-mailed tokens (password reset, address verification) whose `expiresAt` < now − keepMs.
 * - clients known by a metadata document, last fetched before now − keepMs, that no token family
 *   refers to any more (with their consents and codes; a later use fetches the document again).
 * - initial access tokens whose `expiresAt` < now (spent or not: an expired one is refused).
 * - unconfirmed one-time-code enrolments whose `expiresAt` < now − keepMs (confirmed factors stay).
 * - used recovery codes used before now − keepMs (an unknown code is refused like a used one).
 * - back-channel logout deliveries created before now − keepMs (long given up or undeliverable).
 * Each kind is deleted in bounded batches, at most `maxBatches` of them per kind and run, so a
 * run never holds the store for long; what is left waits for the next run. Collecting again
 * at once deletes nothing more.
 */
export interface GarbageCollector {
  collect(now: number, keepMs: number, maxBatches?: number): Promise<CollectionResult>;
}
