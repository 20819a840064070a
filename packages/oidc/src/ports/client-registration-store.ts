import type { RegisteredClient } from '../clients/registered-client.js';

/** An initial access token (RFC 7591 3) as stored: its SHA-256 only. Times in milliseconds. */
export interface InitialAccessTokenRecord {
  readonly tokenHash: string;
  /** How many registrations it may still authorize. */
  readonly uses: number;
  readonly expiresAt: number;
}

/** What the server keeps about a dynamically registered client (RFC 7592). */
export interface ClientRegistrationRecord {
  readonly clientId: string;
  /** SHA-256 (hex) of the registration access token. */
  readonly tokenHash: string;
  /** When the client was registered (`client_id_issued_at`, RFC 7591 3.2.1). */
  readonly issuedAt: number;
}

/** Who asked for a registration write, for the audit trail. */
export interface RegistrationActor {
  readonly actor: string;
  readonly ip?: string;
}

/**
 * Dynamic client registration (RFC 7591, RFC 7592): initial access tokens and the registration
 * access token of each dynamically registered client, both by SHA-256 only.
 *
 * Contract:
 * - `issueInitialAccessToken` stores the record and audits `registration.initial_token_issued`
 *   (actor, uses, expiry; never the token) in one transaction.
 * - `spendInitialAccessToken` takes one use of the token with this hash if it has a use left and
 *   `expiresAt` is after `now`, and returns true; otherwise (unknown, expired or used up) it
 *   changes nothing and returns false. Of concurrent spends of a token with n uses left exactly
 *   min(n, callers) return true.
 * - `register` creates the client (as `ClientStore.create`: `StoreError('conflict')` for a taken
 *   client_id) together with its registration record (issued at `now`), an audit event
 *   `client.registered` and a step of the clients' change counter, in one transaction.
 * - `findRegistration` returns the record, null for a client that was not dynamically registered
 *   or does not exist. Removing the client (`ClientStore.remove`) removes its record too.
 */
export interface ClientRegistrationStore {
  issueInitialAccessToken(
    record: InitialAccessTokenRecord,
    actor: string,
    now: number,
  ): Promise<void>;
  spendInitialAccessToken(tokenHash: string, now: number): Promise<boolean>;
  register(
    client: RegisteredClient,
    tokenHash: string,
    by: RegistrationActor,
    now: number,
  ): Promise<RegisteredClient>;
  findRegistration(clientId: string): Promise<ClientRegistrationRecord | null>;
}
