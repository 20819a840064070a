/** A browser session (single sign-on); `id` is the SHA-256 of the cookie's secret value. Times in ms. */
export interface BrowserSessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly authTime: number;
  readonly amr: readonly string[];
  readonly acr: string | null;
  readonly expiresAt: number;
  readonly endedAt: number | null;
}

/**
 * Browser sessions.
 *
 * Contract:
 * - `find` after `create` returns the session as given, `endedAt` null; null for an unknown id.
 * - `end` sets `endedAt` to `now` once (ending an ended or unknown session changes nothing).
 *   With `revokeFamilies`, it also revokes, in the same transaction and at `now`, the live token
 *   families born in the session, except those granted offline_access, which outlive the browser
 *   session by definition (OIDC Core 11); it answers how many it revoked. With `actor`, a
 *   `session.ended` audit event (the user, `reason`, the count) is recorded in the same
 *   transaction when the session was live.
 * - `listForUser` returns the user's sessions that are neither ended nor expired at `now`,
 *   newest sign-in first.
 */
export interface BrowserSessionStore {
  create(session: Omit<BrowserSessionRecord, 'endedAt'>, now: number): Promise<void>;
  find(id: string): Promise<BrowserSessionRecord | null>;
  end(
    id: string,
    now: number,
    options?: { revokeFamilies?: boolean; reason?: string; actor?: string },
  ): Promise<{ revokedFamilies: number }>;
  listForUser(userId: string, now: number): Promise<BrowserSessionRecord[]>;
}
