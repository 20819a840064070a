import type { Config } from '@idp/config';
import type { KeyRing } from '@idp/keys';
import type { JwsSigningAlgorithm, TokenSigner } from '@idp/oidc';

/**
 * The algorithms ID tokens may be signed with now: those configured (IDP_SIGNING_ALGORITHMS,
 * which discovery lists) that have an active key. A key of an algorithm taken out of the setting
 * stays in the database (and may still be active), but no new ID token is signed with it.
 */
export function idTokenAlgorithms(services: {
  readonly keyRing: Pick<KeyRing, 'signingAlgorithms'>;
  readonly config: Pick<Config, 'signingAlgorithms'>;
}): JwsSigningAlgorithm[] {
  return services.keyRing
    .signingAlgorithms()
    .filter((alg) => services.config.signingAlgorithms.includes(alg));
}

/** The key ring as the token endpoint's signer, offering only `idTokenAlgorithms`. */
export function tokenSigner(services: {
  readonly keyRing: KeyRing;
  readonly config: Pick<Config, 'signingAlgorithms'>;
}): TokenSigner {
  const { keyRing } = services;
  return {
    sign: (payload, options) => keyRing.sign(payload, options),
    signingAlgorithms: () => idTokenAlgorithms(services),
  };
}
