import type { KeySetChange } from './key-set-change.js';
import type { StoredSigningKey } from './signing-key.js';

/**
 * Persistence of signing keys, implemented by the database package.
 *
 * Contract:
 * - `list` returns every key row, including revoked and long-removed ones.
 * - `change` runs `decide` on the current rows and writes what it returns in one transaction,
 *   serialised against every other `change` on the same database (across processes), so that
 *   two instances rotating at the same moment cannot both create a signing key. If `decide`
 *   throws, nothing is written and the error propagates. `actor` is recorded on the events.
 */
export interface SigningKeyStore {
  list(): Promise<StoredSigningKey[]>;
  change<T>(
    decide: (keys: readonly StoredSigningKey[]) => KeySetChange<T>,
    actor: string,
  ): Promise<T>;
}
