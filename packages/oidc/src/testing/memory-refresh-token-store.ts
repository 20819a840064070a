import type {
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokenStore,
  RotationResult,
} from '../ports/refresh-token-store.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `RefreshTokenStore`, on shared in-memory tables. */
export class MemoryRefreshTokenStore implements RefreshTokenStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async find(id: string): Promise<RefreshTokenRecord | null> {
    const tables = this.#tables;
    const token = tables.refreshTokens.get(id);
    const family = token && tables.families.get(token.familyId);
    const user = family && tables.users.get(family.userId);
    if (!token || !family || !user) return null;
    const session = family.sessionId === null ? undefined : tables.sessions.get(family.sessionId);
    return {
      id: token.id,
      tokenHash: token.tokenHash,
      expiresAt: token.expiresAt,
      usedAt: token.usedAt,
      family,
      user,
      consentedScopes: [
        ...(tables.consents.get(`${family.userId} ${family.clientId}`)?.scopes ?? []),
      ],
      session: session ? { endedAt: session.endedAt, expiresAt: session.expiresAt } : null,
    };
  }

  async extendIdle(
    current: { id: string; tokenHash: string },
    expiresAt: number,
  ): Promise<boolean> {
    const token = this.#tables.refreshTokens.get(current.id);
    const family = token && this.#tables.families.get(token.familyId);
    if (!token || !family || token.tokenHash !== current.tokenHash) return false;
    if (token.usedAt !== null || family.revokedAt !== null) return false;
    this.#tables.refreshTokens.set(current.id, {
      ...token,
      expiresAt: Math.max(token.expiresAt, expiresAt),
    });
    return true;
  }

  async rotate(
    current: { id: string; tokenHash: string },
    next: NewRefreshToken,
    now: number,
  ): Promise<RotationResult> {
    const tables = this.#tables;
    const token = tables.refreshTokens.get(current.id);
    const family = token && tables.families.get(token.familyId);
    if (!token || !family || token.tokenHash !== current.tokenHash || family.revokedAt !== null)
      return { outcome: 'invalid' };
    if (token.usedAt === null) {
      token.usedAt = now;
      token.replacedBy = next.id;
      tables.refreshTokens.set(next.id, {
        ...next,
        createdAt: now,
        usedAt: null,
        replacedBy: null,
      });
      return { outcome: 'rotated' };
    }
    const successor =
      token.replacedBy === null ? undefined : tables.refreshTokens.get(token.replacedBy);
    return {
      outcome: 'used',
      usedAt: token.usedAt,
      successor: successor
        ? {
            id: successor.id,
            tokenHash: successor.tokenHash,
            createdAt: successor.createdAt,
            expiresAt: successor.expiresAt,
            usedAt: successor.usedAt,
          }
        : null,
    };
  }

  async revokeForReuse(
    reuse: {
      familyId: string;
      tokenId: string;
      rotatedAt: number;
      clientId: string;
      userId: string;
    },
    now: number,
  ): Promise<boolean> {
    if (!this.#tables.revokeFamily(reuse.familyId, now)) return false;
    this.#tables.recordAudit(
      {
        type: 'refresh_token.reused',
        actor: reuse.clientId,
        userId: reuse.userId,
        clientId: reuse.clientId,
        data: {
          familyId: reuse.familyId,
          reusedTokenId: reuse.tokenId,
          rotatedAt: new Date(reuse.rotatedAt).toISOString(),
        },
      },
      now,
    );
    return true;
  }
}
