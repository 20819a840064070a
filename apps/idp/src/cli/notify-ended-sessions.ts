import type { EndedSession } from '@idp/oidc';
import { BackchannelLogout, type DeliveryResult } from '../logout/backchannel-logout.js';
import type { CliContext } from './context.js';

/**
 * Tells the clients of the sessions a command ended (Back-Channel Logout 1.0 2.5) and prints one
 * line per logout token. The CLI has no request to keep fast, so it waits for the deliveries,
 * retries included, and the operator sees which client did not answer (also in the audit log).
 */
export async function notifyEndedSessions(
  ctx: CliContext,
  ended: readonly EndedSession[],
): Promise<DeliveryResult[]> {
  if (!ended.some((session) => session.clientIds.length > 0)) return [];
  const services = await ctx.services({ keys: true });
  await services.keyRing.refresh();
  const quiet = () => {};
  const notifier = new BackchannelLogout({
    issuer: services.config.issuer,
    signer: services.keyRing,
    clients: services.clients,
    outbound: services.outbound,
    audit: services.audit,
    clock: services.clock,
    // Each outcome is printed below; failures are audited as well.
    logger: { info: quiet, warn: quiet },
  });
  const results = await notifier.notify(ended);
  for (const result of results) {
    const detail = result.outcome === 'delivered' ? '' : `: ${result.error ?? result.status}`;
    ctx.out(`back-channel logout to ${result.clientId}: ${result.outcome}${detail}`);
  }
  return results;
}
