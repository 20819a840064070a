/** Stable codes for key-management failures, for exhaustive handling by callers. */
export type KeyErrorCode =
  | 'unknown_key'
  | 'invalid_transition'
  | 'no_active_key'
  | 'algorithm_not_enabled'
  | 'key_encryption_key_mismatch'
  | 'key_encryption_key_missing'
  | 'conflict';

/** An operation on signing keys that cannot be carried out; the message is for operators. */
export class KeyError extends Error {
  readonly code: KeyErrorCode;

  constructor(code: KeyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyError';
    this.code = code;
  }
}
