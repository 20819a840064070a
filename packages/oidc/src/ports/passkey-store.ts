/** Whether a passkey lives on one device or syncs between devices (WebAuthn L3 6.1.3, BE flag). */
export type PasskeyDeviceType = 'singleDevice' | 'multiDevice';

/**
 * A WebAuthn credential registered by a person (a passkey). Nothing here is secret: the
 * authenticator keeps the private key; the server keeps what verifies its assertions.
 * Times in milliseconds.
 */
export interface PasskeyRecord {
  /** The credential id (WebAuthn L3 6.1 credentialId), base64url. Unique across all users. */
  readonly credentialId: string;
  readonly userId: string;
  /** The credential public key as COSE_Key bytes (WebAuthn L3 6.5.1.1), base64url. */
  readonly publicKey: string;
  /** The signature counter last seen (WebAuthn L3 6.1.1); 0 for authenticators that keep none. */
  readonly counter: number;
  /** Hints for the browser (`internal`, `usb`, `hybrid`, ...), as the authenticator reported them. */
  readonly transports: readonly string[];
  readonly deviceType: PasskeyDeviceType;
  /** The BS flag: whether the credential is currently backed up (synced). */
  readonly backedUp: boolean;
  /** Chosen by the person, to tell their passkeys apart. */
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** A passkey to add: everything but the times, which the store sets. */
export type NewPasskey = Omit<PasskeyRecord, 'createdAt' | 'lastUsedAt'>;

/** What an assertion proved about the authenticator's state (WebAuthn L3 7.2 steps 21-22). */
export interface PasskeyUse {
  readonly counter: number;
  readonly backedUp: boolean;
}

/** Who made a change (default: the passkey's user) and from where, for the audit trail. */
export interface PasskeyActor {
  readonly ip?: string;
  readonly actor?: string;
}

/**
 * People's passkeys.
 *
 * Contract:
 * - `add` stores the passkey with `createdAt` = `now`, `lastUsedAt` null, and the audit event
 *   `passkey.added` (about the user, with the credential id and name) in one transaction; false,
 *   writing nothing, when the credential id is already registered (to anyone) or the user does
 *   not exist.
 * - `find` returns the passkey by credential id, null for an unknown one; `listForUser` returns
 *   the user's passkeys, oldest first (ties by credential id).
 * - `recordUse` stores a verified assertion: the new counter and backup state, `lastUsedAt` =
 *   `now`, with the audit event `passkey.used`; one transaction. It only moves the counter
 *   forward: it writes nothing and answers false when the passkey is unknown or its stored
 *   counter is not below the new one (unless both are 0, an authenticator without a counter), so
 *   of two concurrent uses reporting the same counter exactly one succeeds.
 * - `rename` sets the name of the user's own passkey (false, writing nothing, for an unknown one
 *   or another user's), with `passkey.renamed`.
 * - `remove` deletes the user's own passkey with `passkey.removed` (false for an unknown one or
 *   another user's); `removeAllForUser` deletes all of them with one `passkey.removed` event
 *   carrying the count (none when there were none), answering the count. Each is one transaction.
 */
export interface PasskeyStore {
  add(passkey: NewPasskey, now: number, by?: PasskeyActor): Promise<boolean>;
  find(credentialId: string): Promise<PasskeyRecord | null>;
  listForUser(userId: string): Promise<PasskeyRecord[]>;
  recordUse(
    credentialId: string,
    use: PasskeyUse,
    now: number,
    by?: PasskeyActor,
  ): Promise<boolean>;
  rename(
    userId: string,
    credentialId: string,
    name: string,
    now: number,
    by?: PasskeyActor,
  ): Promise<boolean>;
  remove(userId: string, credentialId: string, now: number, by?: PasskeyActor): Promise<boolean>;
  removeAllForUser(userId: string, now: number, by?: PasskeyActor): Promise<number>;
}
