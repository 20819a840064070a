import type { RegisteredClient } from '../clients/registered-client.js';
import { clientResourceProblem } from '../clients/registration-policy.js';
import { OAuthError } from '../errors/oauth-error.js';
import { sha256Hex } from '../hash.js';
import type { DeviceAuthorizationStore } from '../ports/device-authorization-store.js';
import { parseScope, SUPPORTED_SCOPES } from '../scopes/scopes.js';
import { randomId } from '../tokens/build-claims.js';
import { displayUserCode, generateUserCode } from './user-code.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** RFC 8628 3.2 device authorization response. */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export interface DeviceAuthorizationDeps {
  readonly store: DeviceAuthorizationStore;
  readonly now: number;
  /** The page where people enter user codes (`<issuer>/device`). */
  readonly verificationUri: string;
  readonly lifetimeSeconds: number;
  readonly intervalSeconds: number;
}

/** Fresh user codes tried before giving up: a collision among live codes is already rare. */
const USER_CODE_ATTEMPTS = 5;

/**
 * The device authorization endpoint (RFC 8628 3.1-3.2), for an already authenticated client:
 * checks that the client may use the device grant and what it asks for, then stores the new
 * request under the hashes of its two codes and returns them.
 */
export async function startDeviceAuthorization(
  params: Readonly<Record<string, string | undefined>>,
  client: RegisteredClient,
  deps: DeviceAuthorizationDeps,
): Promise<DeviceAuthorizationResponse> {
  if (!client.grantTypes.includes(DEVICE_CODE_GRANT)) {
    throw new OAuthError(
      'unauthorized_client',
      `this client is not registered for ${DEVICE_CODE_GRANT}`,
    );
  }
  // As at /authorize: a scope is required (RFC 6749 3.3 lets a server fail a request without one).
  const scopes = parseScope(params.scope);
  if (scopes.length === 0)
    throw new OAuthError('invalid_scope', 'scope is required (include openid for OpenID Connect)');
  const refused = scopes.filter(
    (s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s) || !client.scopes.includes(s),
  );
  if (refused.length > 0)
    throw new OAuthError(
      'invalid_scope',
      `scope not allowed for this client: ${refused.join(' ')}`,
    );
  const resources = params.resource === undefined ? [] : [params.resource];
  for (const resource of resources) {
    const problem = clientResourceProblem(client, resource);
    if (problem) throw new OAuthError('invalid_target', problem);
  }

  const deviceCode = randomId(32);
  for (let attempt = 0; attempt < USER_CODE_ATTEMPTS; attempt += 1) {
    const userCode = generateUserCode();
    const created = await deps.store.create(
      {
        deviceCodeHash: sha256Hex(deviceCode),
        userCodeHash: sha256Hex(userCode),
        clientId: client.clientId,
        scopes,
        resources,
        expiresAt: deps.now + deps.lifetimeSeconds * 1000,
        interval: deps.intervalSeconds,
        lastPolledAt: null,
        status: 'pending',
        approval: null,
        familyId: null,
      },
      deps.now,
    );
    if (!created) continue;
    const shown = displayUserCode(userCode);
    const complete = new URL(deps.verificationUri);
    complete.searchParams.set('user_code', shown);
    return {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: deps.verificationUri,
      verification_uri_complete: complete.href,
      expires_in: deps.lifetimeSeconds,
      interval: deps.intervalSeconds,
    };
  }
  throw new OAuthError('temporarily_unavailable', 'no free user code was found; try again', {
    detail: 'user code collisions',
  });
}
