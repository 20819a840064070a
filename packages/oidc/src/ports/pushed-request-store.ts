/**
 * A pushed authorization request (RFC 9126) as stored: only the hash of its `request_uri`, the
 * client it was pushed by, and its parameters as the client sent them. Times in milliseconds.
 */
export interface PushedRequestRecord {
  /** SHA-256 (hex) of the `request_uri`: the URI itself is a bearer credential until used. */
  readonly requestUriHash: string;
  readonly clientId: string;
  /** The form parameters of the push, each a string or, when repeated (`resource`), a list. */
  readonly parameters: Readonly<Record<string, string | readonly string[]>>;
  /** Until when /authorize accepts the `request_uri` (RFC 9126 2.2 `expires_in`). */
  readonly expiresAt: number;
}

/** A stored pushed request and whether an authorization already used it up. */
export interface FoundPushedRequest extends PushedRequestRecord {
  readonly consumedAt: number | null;
}

/**
 * Pushed authorization requests, stored by the hash of their `request_uri`.
 *
 * Contract:
 * - `save` stores a new, unconsumed request; `find` returns it (with `consumedAt` null), or null
 *   for an unknown hash. `find` does not judge expiry: the caller compares `expiresAt` with its
 *   own time.
 * - `consume` is atomic: of several concurrent calls for one request exactly one returns true
 *   (none if it was consumed before, or for an unknown hash), and a `find` after it shows
 *   `consumedAt` = `now`. It succeeds past `expiresAt` too, so a person who takes longer than
 *   the request's lifetime on the login page still completes the authorization it started.
 */
export interface PushedRequestStore {
  save(record: PushedRequestRecord, now: number): Promise<void>;
  find(requestUriHash: string): Promise<FoundPushedRequest | null>;
  consume(requestUriHash: string, now: number): Promise<boolean>;
}
