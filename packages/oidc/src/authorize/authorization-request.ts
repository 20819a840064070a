import type { ClaimsRequest } from '../tokens/claims-request.js';

export type ResponseMode = 'query' | 'fragment' | 'form_post';
export type PromptValue = 'none' | 'login' | 'consent' | 'select_account';

/** An authorization request that passed every check (OIDC Core 3.1.2.1). */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly responseMode: ResponseMode;
  readonly state: string | undefined;
  readonly scopes: readonly string[];
  readonly nonce: string | undefined;
  /** The S256 challenge; absent only for a client registered with require_pkce false. */
  readonly codeChallenge: string | undefined;
  readonly prompt: readonly PromptValue[];
  /** Seconds (OIDC Core 3.1.2.1 max_age). */
  readonly maxAge: number | undefined;
  readonly loginHint: string | undefined;
  /**
   * `ui_locales` (OIDC Core 3.1.2.1): BCP 47 tags, most preferred first, for the pages; absent
   * when the request has none. Not validated against a list: unsupported ones are skipped.
   */
  readonly uiLocales?: readonly string[];
  readonly idTokenHint: string | undefined;
  readonly acrValues: readonly string[];
  readonly claims: ClaimsRequest | undefined;
  readonly resources: readonly string[];
  /**
   * SHA-256 of the `request_uri` when the request was pushed (RFC 9126): issuing the code uses
   * it up, so that reloads of the login page work until then and never after.
   */
  readonly pushedRequestUriHash?: string;
  /** RFC 9449 10: `dpop_jkt`, or the key of the DPoP proof sent to /par; binds the code. */
  readonly dpopJkt?: string;
}

/** Where to send an authorization response, and how (OAuth 2.0 Multiple Response Types 2.1). */
export interface ResponseTarget {
  readonly redirectUri: string;
  readonly responseMode: ResponseMode;
  readonly state: string | undefined;
}
