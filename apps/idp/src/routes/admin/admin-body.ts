import { SIGNING_ALGORITHMS } from '@idp/keys';
import { z } from 'zod';
import { jsonPath, nulCharacterPaths } from '../../cli/seed-schema.js';
import { OperationError } from '../../operations/operation-error.js';

/**
 * POST .../keys/rotate: `now` makes the new key sign at once (as `keys rotate --now`); `alg`
 * picks the algorithm whose key rotates (as `keys rotate --alg`), RS256 when absent.
 */
export const rotateBody = z.strictObject(
  {
    now: z.boolean({ error: 'must be true or false (a JSON boolean)' }).optional(),
    alg: z
      .enum(SIGNING_ALGORITHMS, { error: `must be one of ${SIGNING_ALGORITHMS.join(', ')}` })
      .optional(),
  },
  { error: 'must be a JSON object' },
);

/** Actions that take nothing but what the path names. */
export const emptyBody = z.strictObject({}, { error: 'must be a JSON object' });

/**
 * Validates one part of an admin request (`body`, `query` or `params`) strictly: wrong types and
 * unknown fields are refused rather than coerced or dropped, so that a typo never silently means
 * "the default". No body at all is `{}`; a JSON `null` is not an object and is refused.
 * Fails with OperationError `invalid`, a problem per field named by its JSON path (400).
 */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  part: 'body' | 'query' | 'params' = 'body',
): T {
  // PostgreSQL's text cannot hold a NUL: refused by name here rather than failing in a query.
  // (Path parameters are looked up as they are: no stored id holds one, so they find nothing.)
  const withNul = part === 'params' ? [] : nulCharacterPaths(value);
  if (withNul.length > 0)
    throw OperationError.invalid(
      withNul.map((path) => ({
        path: jsonPath(path) || part,
        message: 'contains a NUL character, which cannot be stored',
      })),
    );
  const result = schema.safeParse(value === undefined ? {} : value);
  if (result.success) return result.data;
  throw OperationError.invalid(
    result.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => ({
          path: jsonPath([...issue.path, key]),
          message: 'unknown field',
        }));
      return [{ path: jsonPath(issue.path) || part, message: issue.message }];
    }),
  );
}

/** The body of an admin request, validated as `parseInput` does. */
export function adminBody<T>(schema: z.ZodType<T>, body: unknown): T {
  return parseInput(schema, body, 'body');
}
