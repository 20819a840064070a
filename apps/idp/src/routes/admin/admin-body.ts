import { SIGNING_ALGORITHMS } from '@idp/keys';
import { z } from 'zod';
import { jsonPath } from '../../cli/seed-schema.js';
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
  const unstorable = part === 'params' ? [] : unstorableValues(value);
  if (unstorable.length > 0)
    throw OperationError.invalid(
      unstorable.map(({ path, message }) => ({ path: jsonPath(path) || part, message })),
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

/** Deeper than any admin body needs; a deeper one is refused before anything walks it. */
const MAX_DEPTH = 16;

/**
 * Strings (values or member names) holding a NUL, and values nested deeper than MAX_DEPTH, by
 * path. Iterative, so that a body nested thousands deep is refused, not a stack overflow.
 */
function unstorableValues(value: unknown): { path: PropertyKey[]; message: string }[] {
  const found: { path: PropertyKey[]; message: string }[] = [];
  const pending: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  while (pending.length > 0 && found.length < 20) {
    const next = pending.pop()!;
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000'))
        found.push({
          path: next.path,
          message: 'contains a NUL character, which cannot be stored',
        });
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.path.length >= MAX_DEPTH) {
      found.push({ path: next.path, message: `is nested more than ${MAX_DEPTH} levels deep` });
      continue;
    }
    for (const [name, member] of Object.entries(next.value)) {
      const path = [...next.path, Array.isArray(next.value) ? Number(name) : name];
      if (name.includes('\u0000'))
        found.push({ path, message: 'names a member with a NUL character' });
      else pending.push({ value: member, path });
    }
  }
  return found;
}
