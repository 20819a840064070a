import type { StoredSigningKey } from './signing-key.js';

/** A timestamp update on one key (milliseconds since the epoch); a null `retiredAt` clears it. */
export interface KeyUpdate {
  readonly kid: string;
  readonly activatesAt?: number;
  readonly retiredAt?: number | null;
  readonly revokedAt?: number;
}

/** An audit record written in the same transaction as the change it describes. */
export interface KeyEvent {
  readonly type: 'key.created' | 'key.rotated' | 'key.retired' | 'key.revoked';
  readonly data: Record<string, unknown>;
}

/** What one key operation writes, all or nothing. */
export interface KeySetChange<T> {
  readonly insert?: StoredSigningKey;
  readonly updates: readonly KeyUpdate[];
  readonly events: readonly KeyEvent[];
  readonly result: T;
}
