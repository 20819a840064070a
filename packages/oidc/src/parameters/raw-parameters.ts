import { z } from 'zod';
import { OAuthError } from '../errors/oauth-error.js';

/**
 * Request parameters as a query string or an application/x-www-form-urlencoded body carries
 * them (RFC 6749 3.1, 3.2): every value is a string, or several strings when the name repeats.
 */
export type RawParameters = Readonly<Record<string, string | readonly string[] | undefined>>;

const rawParametersSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/**
 * Checks that what the HTTP layer parsed has the shape of form parameters before any of it is
 * read. Anything else (a JSON document's objects, numbers, nulls) is a problem naming the first
 * offending parameter. No parameters at all is an empty set.
 */
export function parseRawParameters(
  input: unknown,
): { parameters: RawParameters } | { problem: string } {
  if (input === undefined || input === null) return { parameters: {} };
  const result = rawParametersSchema.safeParse(input);
  if (result.success) return { parameters: result.data };
  const name = result.error.issues[0]?.path[0];
  return {
    problem:
      typeof name === 'string'
        ? `${name} must be a string`
        : 'the request parameters must be form fields (application/x-www-form-urlencoded)',
  };
}

/** `parseRawParameters` for endpoints that answer in JSON: a problem is `invalid_request`. */
export function readRawParameters(input: unknown): RawParameters {
  const parsed = parseRawParameters(input);
  if ('problem' in parsed) throw new OAuthError('invalid_request', parsed.problem);
  return parsed.parameters;
}
