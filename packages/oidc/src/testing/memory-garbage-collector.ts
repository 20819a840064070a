import type { CollectionResult, GarbageCollector } from '../ports/garbage-collector.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `GarbageCollector`, on shared in-memory tables (one batch is everything). */
export class MemoryGarbageCollector implements GarbageCollector {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async collect(now: number, keepMs: number): Promise<CollectionResult> {
    const tables = this.#tables;
    const past = now - keepMs;
    const drop = <V>(map: Map<string, V>, expired: (value: V) => boolean) => {
      let count = 0;
      for (const [key, value] of map) {
        if (expired(value)) {
          map.delete(key);
          count += 1;
        }
      }
      return count;
    };
    const authorizationCodes = drop(tables.codes, (c) => c.expiresAt < past);
    const sessionIds = [...tables.sessions.values()]
      .filter((s) => s.expiresAt < past || (s.endedAt !== null && s.endedAt < past))
      .map((s) => s.id);
    for (const id of sessionIds) {
      for (const clientId of tables.sessionClients.get(id) ?? [])
        tables.sessionClientSince.delete(`${id} ${clientId}`);
      tables.sessions.delete(id);
      tables.sessionClients.delete(id);
      tables.sessionCreatedAt.delete(id);
    }
    // As a foreign key with ON DELETE SET NULL would: the families outlive their session.
    for (const family of tables.families.values()) {
      if (family.sessionId !== null && sessionIds.includes(family.sessionId))
        tables.families.set(family.id, { ...family, sessionId: null });
    }
    const revokedAccessTokens = drop(tables.revokedAccessTokens, (expiresAt) => expiresAt < now);
    const refreshTokens = drop(tables.refreshTokens, (t) => t.expiresAt < past);
    const familyIds = [...tables.families.values()]
      .filter((f) => f.expiresAt < past || (f.revokedAt !== null && f.revokedAt < past))
      .map((f) => f.id);
    for (const id of familyIds) tables.deleteFamily(id);
    const singleUseIds = drop(tables.singleUseIds, (expiresAt) => expiresAt < now);
    const pushedRequests = drop(tables.pushedRequests, (r) => r.expiresAt < past);
    const deviceAuthorizations = drop(tables.deviceAuthorizations, (d) => d.expiresAt < past);
    const emailTokens = drop(tables.emailTokens, (t) => t.expiresAt < past);
    let metadataDocumentClients = 0;
    for (const [clientId, fetchedAt] of tables.metadataDocumentFetchedAt) {
      if (fetchedAt >= past) continue;
      if ([...tables.families.values()].some((f) => f.clientId === clientId)) continue;
      tables.metadataDocumentFetchedAt.delete(clientId);
      tables.clients.delete(clientId);
      for (const [key] of tables.consents)
        if (key.endsWith(` ${clientId}`)) tables.consents.delete(key);
      for (const [hash, code] of tables.codes)
        if (code.clientId === clientId) tables.codes.delete(hash);
      metadataDocumentClients += 1;
    }
    const initialAccessTokens = drop(tables.initialAccessTokens, (t) => t.expiresAt < now);
    const oneTimeCodeEnrolments = drop(
      tables.oneTimeCodeFactors,
      (f) => !f.confirmed && f.expiresAt < past,
    );
    const recoveryCodes = drop(tables.recoveryCodes, (c) => c.usedAt !== null && c.usedAt < past);
    const logoutDeliveries = drop(tables.logoutDeliveries, (d) => d.createdAt < past);
    return {
      authorizationCodes,
      sessions: sessionIds.length,
      revokedAccessTokens,
      refreshTokens,
      tokenFamilies: familyIds.length,
      singleUseIds,
      pushedRequests,
      deviceAuthorizations,
      emailTokens,
      metadataDocumentClients,
      initialAccessTokens,
      oneTimeCodeEnrolments,
      recoveryCodes,
      logoutDeliveries,
    };
  }
}
