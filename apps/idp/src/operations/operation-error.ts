import { StoreError } from '@idp/oidc';

/** One thing wrong with an input, at a JSON path such as `redirect_uris[0]`. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/**
 * Why an admin operation (operations/*, shared by the CLI and the admin API) was not carried out:
 * `invalid` input (with a problem per field), a `not_found` subject, a `conflict` with what is
 * stored, or an operation that does not apply to the subject (`not_applicable`). The CLI prints
 * the message; the API maps the code to a status.
 */
export class OperationError extends Error {
  override name = 'OperationError';

  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict' | 'not_applicable',
    message: string,
    readonly problems: readonly Problem[] = [],
    /** The OAuth error code for `invalid`, e.g. `invalid_client_metadata` (RFC 7591 3.2.2). */
    readonly oauthError = 'invalid_request',
  ) {
    super(message);
  }

  /** Invalid input: the message lists each problem as `path: message`, one per line. */
  static invalid(problems: readonly Problem[], oauthError?: string): OperationError {
    return new OperationError(
      'invalid',
      problems.map((p) => `${p.path}: ${p.message}`).join('\n'),
      problems,
      oauthError,
    );
  }
}

/** A store's conflict or not_found as an operation error; anything else rethrown. */
export function fromStoreError(error: unknown): never {
  if (error instanceof StoreError) throw new OperationError(error.code, error.message);
  throw error;
}
