/**
 * A store write that cannot be done as asked: `not_found` (the record named does not exist) or
 * `conflict` (a record with that unique key exists). The message names the record for operators.
 * Stores throw it, and nothing else, for these two cases; nothing is written when they do.
 */
export class StoreError extends Error {
  readonly code: 'not_found' | 'conflict';

  constructor(code: 'not_found' | 'conflict', message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}
