import { FAPI2_RULES, type OAuthError } from '@idp/oidc';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The audit event of a request a client's security profile refused. */
export const PROFILE_REFUSED_EVENT = 'security_profile.refused';

/**
 * Records a `security_profile.refused` audit event when `error` came from a rule of the client's
 * security profile (FAPI 2.0 SP): operators moving clients onto the profile see which rule each
 * client still breaks, from where. Only the rule's name, the endpoint and the error code are
 * kept; never a parameter value. A failure to record is logged, not answered: the client gets
 * its refusal either way.
 */
export async function auditProfileRefusal(
  app: FastifyInstance,
  request: FastifyRequest,
  error: OAuthError,
): Promise<void> {
  const refusal = error.profileRefusal;
  if (!refusal) return;
  const section = FAPI2_RULES[refusal.rule as keyof typeof FAPI2_RULES];
  try {
    await app.audit.record(
      {
        type: PROFILE_REFUSED_EVENT,
        actor: refusal.clientId,
        clientId: refusal.clientId,
        ip: request.ip,
        data: {
          profile: refusal.profile,
          rule: refusal.rule,
          ...(section ? { section: `FAPI 2.0 SP ${section}` } : {}),
          endpoint: request.routeOptions.url ?? request.url.split('?')[0],
          error: error.error,
        },
      },
      app.clock.now(),
    );
  } catch (failure) {
    request.log.warn({ err: failure }, 'could not audit a security profile refusal');
  }
}
