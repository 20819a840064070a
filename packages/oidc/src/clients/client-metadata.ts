import { z } from 'zod';
import { redirectUriProblem } from './redirect-uri.js';

const redirectUri = z.string().superRefine((uri, ctx) => {
  const problem = redirectUriProblem(uri);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 3.3 scope-token

/** Minimum length of a client secret supplied by an operator (generated ones are 256-bit). */
export const MIN_CLIENT_SECRET_LENGTH = 32;

/**
 * Client registration metadata (RFC 7591 2, with OIDC Registration names), as accepted from seed
 * files and the CLI. Unknown members are ignored by the schema (RFC 7591 2 asks servers to
 * ignore what they do not understand); callers may warn about them.
 */
export const clientMetadataSchema = z
  .object({
    client_id: z
      .string()
      .regex(/^[A-Za-z0-9._~-]{1,128}$/, 'must be 1-128 characters of letters, digits and . _ ~ -'),
    client_secret: z
      .string()
      .min(MIN_CLIENT_SECRET_LENGTH, `must be at least ${MIN_CLIENT_SECRET_LENGTH} characters (or leave it out to have one generated)`)
      .optional(),
    client_name: z.string().min(1).max(200).optional(),
    redirect_uris: z.array(redirectUri).default([]),
    post_logout_redirect_uris: z.array(redirectUri).default([]),
    grant_types: z
      .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange']))
      .min(1)
      .default(['authorization_code']),
    response_types: z.array(z.literal('code')).default(['code']),
    token_endpoint_auth_method: z
      .enum(['client_secret_basic', 'client_secret_post', 'none'])
      .default('client_secret_basic'),
    scope: z
      .string()
      .default('openid profile email')
      .refine((s) => s.split(' ').every((t) => scopeToken.test(t)), 'must be scope tokens separated by single spaces'),
    resources: z.array(z.url({ message: 'must be an absolute URI' })).default([]),
    first_party: z.boolean().default(false),
    /** Our own (DESIGN.md): false lets a confidential client leave PKCE out if it sends a nonce. */
    require_pkce: z.boolean().default(true),
  })
  .superRefine((client, ctx) => {
    if (client.grant_types.includes('authorization_code') && client.redirect_uris.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['redirect_uris'], message: 'must list at least one URI for the authorization_code grant' });
    }
    if (client.token_endpoint_auth_method === 'none') {
      if (client.client_secret !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['client_secret'], message: 'must be absent for a public client (token_endpoint_auth_method "none")' });
      }
      if (client.grant_types.includes('urn:ietf:params:oauth:grant-type:token-exchange')) {
        ctx.addIssue({ code: 'custom', path: ['grant_types'], message: 'token exchange needs a confidential client (a public client cannot authenticate)' });
      }
      if (client.grant_types.includes('client_credentials')) {
        ctx.addIssue({ code: 'custom', path: ['grant_types'], message: 'client_credentials needs a confidential client (a public client cannot authenticate)' });
      }
      // RFC 9700 2.1.1: PKCE is what protects a public client's code; only a client that
      // authenticates (and sends a nonce, OAuth 2.1 7.5.1) may go without it.
      if (!client.require_pkce) {
        ctx.addIssue({ code: 'custom', path: ['require_pkce'], message: 'may be false only for a confidential client (a public client must use PKCE)' });
      }
    }
  });

export type ClientMetadata = z.output<typeof clientMetadataSchema>;

/** Members of a client document the server recognises; others are reported as ignored. */
export const knownClientMetadata: ReadonlySet<string> = new Set(Object.keys(clientMetadataSchema.shape));
