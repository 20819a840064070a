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
 * A session that a call ended, with the clients that took part in it (those recorded by
 * `addClient`): who must hear of it (Back-Channel Logout 1.0 2.5, Front-Channel Logout 1.0 2).
 */
export interface EndedSession {
  readonly sessionId: string;
  readonly userId: string;
  /** Client ids, each once, sorted. */
  readonly clientIds: readonly string[];
}

/**
 * A live session as its owner's account page and the admin API list it: when it started, and
 * the applications that took part in it.
 */
export interface ListedSession extends BrowserSessionRecord {
  /** When the session was created (ms): the sign-in that started it. */
  readonly createdAt: number;
  /**
   * Client ids, each once, sorted: those recorded by `addClient` and those with a token family
   * born in the session. A client that received neither is not known to have taken part.
   */
  readonly clientIds: readonly string[];
}

/** A live session in the server-wide list (`listLive`): whose it is, and when it was last used. */
export interface ActiveSession extends ListedSession {
  /** The owner's email (the login name). */
  readonly userEmail: string;
  /**
   * The latest time (ms) the session is known to have been used: when it began, or when a
   * client last took part in it or was issued tokens born in it, whichever is latest.
   */
  readonly lastSeenAt: number;
}

/** Which live sessions `listLive` returns; every member given must match. */
export interface ActiveSessionQuery {
  readonly userId?: string;
  /** Sessions this client took part in (`clientIds` contains it). */
  readonly clientId?: string;
  /** Sessions older than this one (the last of the previous page): newest-first keyset paging. */
  readonly before?: { readonly createdAt: number; readonly id: string };
  readonly limit: number;
}

/**
 * Browser sessions.
 *
 * Contract:
 * - `find` after `create` returns the session as given, `endedAt` null; null for an unknown id.
 * - `end` sets `endedAt` to `now` once (ending an ended or unknown session changes nothing).
 *   With `revokeFamilies`, it also revokes, in the same transaction and at `now`, the live token
 *   families born in the session, except those granted offline_access, which outlive the browser
 *   session by definition (OIDC Core 11); it answers how many it revoked. `ended` is the session
 *   with its clients when this very call ended it, null otherwise: of concurrent calls at most
 *   one sees it, so a session's clients are told of its end once. With `actor`, a
 *   `session.ended` audit event (the user, `reason`, the count) is recorded in the same
 *   transaction when the session was live.
 * - `addClient` records that a client took part in the session (was issued a code in it); once
 *   per client however often it is called; nothing for an unknown session. Records go with the
 *   session (deleted with it).
 * - `listForUser` returns the user's sessions that are neither ended nor expired at `now`,
 *   newest sign-in first, each with its creation time and clients (`ListedSession`).
 * - `endOthers` ends, in one transaction at `now`, every live session of the user but `keepId`
 *   ("sign out everywhere else"), revokes the live token families born in them except offline
 *   ones (as `end` with `revokeFamilies`), and records a `session.ended` audit event by `actor`
 *   with `reason` per session it ended. It answers the sessions it ended, sorted by id, and the
 *   number of families revoked; `keepId` stays live whoever owns it.
 * - `listLive` returns the server's sessions that are neither ended nor expired at `now`, newest
 *   first (by `createdAt`, ties by id descending), filtered by every member of the query given,
 *   at most `limit`, each with its owner's email and `lastSeenAt` (`ActiveSession`).
 */
export interface BrowserSessionStore {
  create(session: Omit<BrowserSessionRecord, 'endedAt'>, now: number): Promise<void>;
  find(id: string): Promise<BrowserSessionRecord | null>;
  end(
    id: string,
    now: number,
    options?: { revokeFamilies?: boolean; reason?: string; actor?: string },
  ): Promise<{ revokedFamilies: number; ended: EndedSession | null }>;
  addClient(sessionId: string, clientId: string, now: number): Promise<void>;
  listForUser(userId: string, now: number): Promise<ListedSession[]>;
  endOthers(
    userId: string,
    keepId: string,
    now: number,
    options: { reason: string; actor: string },
  ): Promise<{ revokedFamilies: number; ended: EndedSession[] }>;
  listLive(query: ActiveSessionQuery, now: number): Promise<ActiveSession[]>;
}
