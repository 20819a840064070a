import { DEVICE_CODE_GRANT } from '../../device/device-authorization.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { sha256Hex } from '../../hash.js';
import { familyFromGrant } from '../../tokens/family-from-grant.js';
import { issueTokenSet } from '../../tokens/issue-token-set.js';
import type { GrantHandler } from '../token-context.js';

/** RFC 8628 3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests". */
export const SLOW_DOWN_STEP_SECONDS = 5;

const invalidGrant = (detail: string) =>
  new OAuthError(
    'invalid_grant',
    'The device code is invalid, already used, or was issued to another client.',
    { detail },
  );

/**
 * The device authorization grant (RFC 8628 3.4-3.5). Each poll is remembered, so a client that
 * polls before its interval has passed hears `slow_down` and must wait 5 s longer from then on;
 * otherwise it hears how the request stands: `authorization_pending`, `access_denied`,
 * `expired_token`, or, once approved, the tokens of a code exchange. The device code is spent
 * with the insert of the new token family, atomically, so it yields tokens once.
 */
export const deviceCodeGrant: GrantHandler = {
  grantType: DEVICE_CODE_GRANT,
  async handle(params, client, ctx) {
    const deviceCode = params.device_code;
    if (!deviceCode) throw new OAuthError('invalid_request', 'device_code is required');
    const hash = sha256Hex(deviceCode);
    const store = ctx.deviceAuthorizations;
    const record = await store.find(hash);
    const now = ctx.clock.now();
    if (!record) throw invalidGrant('unknown device code');
    if (record.clientId !== client.clientId)
      throw invalidGrant('device code was issued to another client');
    if (record.status === 'redeemed') throw invalidGrant('device code already used');
    // RFC 8628 3.5 error codes go in a 400 response like any RFC 6749 5.2 error.
    if (now >= record.expiresAt)
      throw new OAuthError('expired_token', 'The device code has expired; start again.', {
        status: 400,
      });
    if (record.status === 'denied')
      throw new OAuthError('access_denied', 'The user denied the request.', { status: 400 });

    if (record.status === 'pending') {
      const tooSoon =
        record.lastPolledAt !== null && now - record.lastPolledAt < record.interval * 1000;
      const interval = tooSoon ? record.interval + SLOW_DOWN_STEP_SECONDS : record.interval;
      // A poll that loses the compare-and-set raced another one: that is polling too fast as well.
      const recorded = await store.recordPoll(hash, record.lastPolledAt, now, interval);
      if (tooSoon || !recorded) {
        throw new OAuthError(
          'slow_down',
          `Polling too fast; wait at least ${interval} seconds between requests.`,
          { status: 400 },
        );
      }
      throw new OAuthError('authorization_pending', 'The user has not yet approved the request.', {
        status: 400,
      });
    }

    const { approval, user } = record;
    if (!approval) throw invalidGrant('approved without an approval');
    if (!user || user.disabled) throw invalidGrant('user is disabled or gone');
    const login = { ...approval, scopes: record.scopes, claims: null, resources: record.resources };
    const lifetime = ctx.lifetimes.refreshTokenAbsolute;
    const family = familyFromGrant(login, client.clientId, user.id, now, lifetime);
    const { response, refreshToken } = await issueTokenSet({
      ctx,
      client,
      user,
      family,
      scopes: record.scopes,
      resources: record.resources,
      nonce: undefined,
      now,
    });
    if (!(await store.redeem(hash, now, family, refreshToken)))
      throw invalidGrant('device code already used (concurrently)');
    ctx.emit('grant.success', {
      grantType: DEVICE_CODE_GRANT,
      clientId: client.clientId,
      userId: user.id,
      familyId: family.id,
    });
    return response;
  },
};
