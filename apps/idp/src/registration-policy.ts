import type { Config } from '@idp/config';
import type { RegistrationPolicy } from '@idp/oidc';

/** The operator's limits on self-registered and metadata-document clients, from the settings. */
export function registrationPolicy(
  config: Pick<Config, 'registrationGrantTypes' | 'registrationResources'>,
): RegistrationPolicy {
  return {
    grantTypes: config.registrationGrantTypes,
    resources: config.registrationResources,
  };
}
