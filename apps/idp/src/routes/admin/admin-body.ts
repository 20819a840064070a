import { SIGNING_ALGORITHMS } from '@idp/keys';
import { OAuthError } from '@idp/oidc';
import { z } from 'zod';

/**
 * POST /admin/keys/rotate: `now` makes the new key sign at once (as `keys rotate --now`); `alg`
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

/** Retire and revoke take nothing but the kid in the path. */
export const emptyBody = z.strictObject({}, { error: 'must be a JSON object' });

/**
 * Validates an admin API body strictly: wrong types and unknown fields are refused rather than
 * coerced or dropped, so that a typo never silently means "the default". No body at all is
 * `{}`; a JSON `null` is not an object and is refused.
 * Fails with 400 invalid_request naming each field and what is wrong with it.
 */
export function adminBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body === undefined ? {} : body);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${key}: unknown field`);
    return [`${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`];
  });
  throw new OAuthError('invalid_request', problems.join('; '));
}
