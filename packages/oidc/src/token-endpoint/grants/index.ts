import type { GrantHandler } from '../token-context.js';
import { authorizationCodeGrant } from './authorization-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import { deviceCodeGrant } from './device-code.js';
import { refreshTokenGrant } from './refresh-token.js';
import { tokenExchangeGrant } from './token-exchange.js';

/** The grants this server implements, by grant_type: one module each. */
export const GRANTS: ReadonlyMap<string, GrantHandler> = new Map(
  [
    authorizationCodeGrant,
    refreshTokenGrant,
    clientCredentialsGrant,
    deviceCodeGrant,
    tokenExchangeGrant,
  ].map((grant) => [grant.grantType, grant]),
);
