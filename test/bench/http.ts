import type { Endpoints } from './scenarios.js';

/**
 * Calls `make` `count` times with at most `concurrency` calls in flight: how pools of codes and
 * tokens are made quickly before a window (the server is otherwise idle then).
 */
export async function inParallel<T>(
  count: number,
  concurrency: number,
  make: () => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      results.push(await make());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** The endpoint paths a server advertises in its discovery document. */
export async function readEndpoints(base: string, discoveryPath: string): Promise<Endpoints> {
  const response = await fetch(new URL(discoveryPath, base));
  const document = (await response.json()) as Record<string, string | undefined>;
  const optional = (member: string) => {
    const value = document[member];
    return value ? new URL(value).pathname : undefined;
  };
  const path = (member: string) => {
    const value = optional(member);
    if (!value) throw new Error(`${base}${discoveryPath} has no ${member}`);
    return value;
  };
  return {
    discovery: discoveryPath,
    jwks: path('jwks_uri'),
    token: path('token_endpoint'),
    userinfo: path('userinfo_endpoint'),
    introspection: path('introspection_endpoint'),
    revocation: path('revocation_endpoint'),
    par: optional('pushed_authorization_request_endpoint'),
  };
}

/** The token endpoint's answer, when it is a success. */
export interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
}

/** POST of a form to the token endpoint; throws with the server's answer unless it is 200. */
export async function tokenRequest(
  url: string,
  fields: Record<string, string>,
  authorization: string,
): Promise<TokenResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
    body: new URLSearchParams(fields),
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`token request failed (${response.status}): ${text}`);
  return JSON.parse(text) as TokenResponse;
}
