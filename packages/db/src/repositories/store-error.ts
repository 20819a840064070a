/** A write that cannot be done as asked; the message names the record for operators. */
export class StoreError extends Error {
  readonly code: 'not_found' | 'conflict';

  constructor(code: 'not_found' | 'conflict', message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}
