import { z } from 'zod';

const claimRequest = z.union([
  z.null(),
  z.object({
    essential: z.boolean().optional(),
    value: z.unknown().optional(),
    values: z.array(z.unknown()).optional(),
  }),
]);

/** The OIDC Core 5.5 `claims` request parameter: individual claims for userinfo and the ID token. */
export const claimsRequestSchema = z.object({
  userinfo: z.record(z.string(), claimRequest).optional(),
  id_token: z.record(z.string(), claimRequest).optional(),
});

export type ClaimsRequest = z.output<typeof claimsRequestSchema>;

/** Parses the parameter; undefined when absent, an error message when malformed. */
export function parseClaimsRequest(
  text: string | undefined,
): ClaimsRequest | undefined | { error: string } {
  if (text === undefined || text === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'claims must be a JSON object (OIDC Core 5.5)' };
  }
  const parsed = claimsRequestSchema.safeParse(json);
  return parsed.success
    ? parsed.data
    : { error: 'claims must be an object with userinfo and/or id_token members (OIDC Core 5.5)' };
}
