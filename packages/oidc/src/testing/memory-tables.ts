import type { RegisteredClient } from '../clients/registered-client.js';
import type { AuditEventView } from '../ports/audit-log.js';
import type { AuthorizationCodeRecord } from '../ports/authorization-code-store.js';
import type { BrowserSessionRecord, EndedSession } from '../ports/browser-session-store.js';
import type { ClientRegistrationRecord } from '../ports/client-registration-store.js';
import type { FoundPushedRequest } from '../ports/pushed-request-store.js';
import type { DeviceAuthorizationRecord } from '../ports/device-authorization-store.js';
import type { EmailTokenRecord } from '../ports/email-token-store.js';
import type { OneTimeCodeFactor } from '../ports/one-time-code-store.js';
import type { PasskeyRecord } from '../ports/passkey-store.js';
import type { LogoutDelivery } from '../ports/logout-delivery-store.js';
import type { TokenFamilyRecord } from '../ports/token-family-store.js';
import type { UserAccount } from '../users/user-account.js';

/** A stored refresh token: the port's fields plus its successor and issue time. */
export interface MemoryRefreshToken {
  readonly id: string;
  readonly familyId: string;
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  usedAt: number | null;
  replacedBy: string | null;
}

/**
 * The rows the in-memory stores share, as one database would: a user's revocation reaches the
 * families the code store created, a family's revocation the refresh tokens. Each store method
 * reads and writes them without awaiting in between, so every method is atomic (JavaScript runs
 * one of them at a time), which is what the ports' single-winner contracts need.
 */
export class MemoryTables {
  readonly clients = new Map<string, RegisteredClient>();
  clientChanges = 0;
  /** When each client known by a metadata document was last fetched. */
  readonly metadataDocumentFetchedAt = new Map<string, number>();
  /** By id; emails are unique (lower-cased). */
  readonly users = new Map<string, UserAccount>();
  readonly sessions = new Map<string, BrowserSessionRecord>();
  /** Session id -> when it was created. */
  readonly sessionCreatedAt = new Map<string, number>();
  /** Session id -> the clients that took part in it. */
  readonly sessionClients = new Map<string, Set<string>>();
  /** `${sessionId} ${clientId}` -> when the client first took part in the session. */
  readonly sessionClientSince = new Map<string, number>();
  /** By `${userId} ${clientId}`. */
  readonly consents = new Map<string, { scopes: string[]; claims: string[] }>();
  readonly codes = new Map<string, AuthorizationCodeRecord>();
  /** By device code hash. */
  readonly deviceAuthorizations = new Map<string, DeviceAuthorizationRecord>();
  readonly families = new Map<string, TokenFamilyRecord>();
  readonly refreshTokens = new Map<string, MemoryRefreshToken>();
  /** jti -> expiresAt. */
  readonly revokedAccessTokens = new Map<string, number>();
  /** id -> expiresAt. */
  readonly singleUseIds = new Map<string, number>();
  /** By request_uri hash. */
  readonly pushedRequests = new Map<string, FoundPushedRequest>();
  /** By token hash. */
  readonly emailTokens = new Map<string, EmailTokenRecord & { usedAt: number | null }>();
  /** One-time-code factors by user id. */
  readonly oneTimeCodeFactors = new Map<string, OneTimeCodeFactor>();
  /** Recovery codes by `${userId} ${codeHash}`. */
  readonly recoveryCodes = new Map<
    string,
    { userId: string; codeHash: string; usedAt: number | null }
  >();
  /** Passkeys by credential id. */
  readonly passkeys = new Map<string, PasskeyRecord>();
  /** Pending back-channel logout deliveries by id. */
  readonly logoutDeliveries = new Map<string, LogoutDelivery>();
  /** Initial access tokens (RFC 7591 3) by hash: uses left and expiry. */
  readonly initialAccessTokens = new Map<string, { uses: number; expiresAt: number }>();
  /** Registration records of dynamically registered clients (RFC 7592), by client_id. */
  readonly clientRegistrations = new Map<string, ClientRegistrationRecord>();
  readonly audit: AuditEventView[] = [];
  #auditIds = 0;

  /** Appends an audit event at `now`. */
  recordAudit(
    event: {
      type: string;
      actor?: string;
      userId?: string;
      clientId?: string;
      ip?: string;
      data?: Record<string, unknown>;
    },
    now: number,
  ): void {
    this.#auditIds += 1;
    this.audit.push({
      // Zero-padded, so that ids sort in the order they were recorded.
      id: `audit-${String(this.#auditIds).padStart(12, '0')}`,
      type: event.type,
      at: now,
      actor: event.actor ?? '',
      userId: event.userId ?? '',
      clientId: event.clientId ?? '',
      ip: event.ip ?? '',
      data: structuredClone(event.data ?? {}),
    });
  }

  /** Ends the session if live, at `now`; the ended session with its clients, or null. */
  endSession(id: string, now: number): EndedSession | null {
    const session = this.sessions.get(id);
    if (!session || session.endedAt !== null) return null;
    this.sessions.set(id, { ...session, endedAt: now });
    return {
      sessionId: id,
      userId: session.userId,
      clientIds: [...(this.sessionClients.get(id) ?? [])].sort(),
    };
  }

  /** Revokes the live families born in the session, except offline ones; how many. */
  revokeSessionFamilies(sessionId: string, now: number): number {
    let revoked = 0;
    for (const family of this.families.values())
      if (
        family.sessionId === sessionId &&
        !family.offlineAccess &&
        this.revokeFamily(family.id, now)
      )
        revoked += 1;
    return revoked;
  }

  /** Revokes the family if live; whether it did. */
  revokeFamily(familyId: string, now: number): boolean {
    const family = this.families.get(familyId);
    if (!family || family.revokedAt !== null) return false;
    this.families.set(familyId, { ...family, revokedAt: now });
    return true;
  }

  /** Deletes a family with its refresh tokens. */
  deleteFamily(familyId: string): void {
    this.families.delete(familyId);
    for (const [id, token] of this.refreshTokens)
      if (token.familyId === familyId) this.refreshTokens.delete(id);
  }
}
