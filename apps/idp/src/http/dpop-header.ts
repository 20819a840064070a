import type { DpopNonces, SingleUseStore } from '@idp/oidc';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** What the endpoints that take DPoP proofs share: the replay store and the optional nonces. */
export interface DpopWiring {
  readonly replay: Pick<SingleUseStore, 'consume'>;
  readonly nonces?: DpopNonces | undefined;
}

/**
 * The `DPoP` request header (RFC 9449 4.1). Node joins a repeated header with ", ", which no
 * proof survives: more than one header is refused as an invalid proof, as 4.3 asks.
 */
export function dpopProofHeader(request: FastifyRequest): string | undefined {
  const value = request.headers.dpop;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** RFC 9449 8.2: with server nonces on, every answer hands out the current one. */
export function sendDpopNonce(reply: FastifyReply, dpop: DpopWiring, now: number): void {
  if (dpop.nonces) void reply.header('dpop-nonce', dpop.nonces.current(now));
}
