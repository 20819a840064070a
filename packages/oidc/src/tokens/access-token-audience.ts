import type { RegisteredClient } from '../clients/registered-client.js';
import { refreshTokenAudience } from './token-types.js';

/**
 * Access token audience: what was asked for, else the client's registered resources, else us.
 * Never the refresh tokens' audience, even if a client got it registered as a resource (before
 * registration refused it, or under an issuer since changed): that audience must stay one that
 * no access token carries.
 */
export function accessTokenAudience(
  issuer: string,
  client: RegisteredClient,
  requestedResources: readonly string[],
  scopes: readonly string[],
): string[] {
  const reserved = refreshTokenAudience(issuer);
  const resources = (requestedResources.length > 0 ? requestedResources : client.resources).filter(
    (resource) => resource !== reserved,
  );
  const base = resources.length > 0 ? [...resources] : [issuer];
  // UserInfo is the issuer's own API: an OpenID token must be accepted there too.
  if (scopes.includes('openid') && !base.includes(issuer)) base.push(issuer);
  return base;
}
