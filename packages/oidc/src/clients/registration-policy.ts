import type { ClientMetadata } from './client-metadata.js';
import { metadataDocumentResourceProblem } from './client-id-metadata-document.js';
import type { GrantType, RegisteredClient } from './registered-client.js';

/**
 * What the operator lets clients nobody vetted do: clients that registered themselves (RFC 7591)
 * and clients known by a Client ID Metadata Document. Operator-created clients are not limited.
 */
export interface RegistrationPolicy {
  /** Grant types such clients may use (IDP_REGISTRATION_GRANT_TYPES). */
  readonly grantTypes: readonly GrantType[];
  /**
   * RFC 8707 resources they may name (IDP_REGISTRATION_RESOURCES): absolute URLs matched
   * exactly, or prefixes ending in `/`. Empty: none, so their tokens are for this server only.
   * Null: not limited beyond the checks every client gets.
   */
  readonly resources: readonly string[] | null;
}

/**
 * Whether `resource` is one `allowed` admits: equal to an entry, or under an entry that ends in
 * `/`. A prefix must hold for the URL as sent and as a resource server would normalise it, so
 * that `https://api.example/mcp/../admin` does not pass as being under `https://api.example/mcp/`.
 */
export function resourceWithinPolicy(resource: string, allowed: readonly string[]): boolean {
  if (allowed.includes(resource)) return true;
  let normalised: string;
  try {
    normalised = new URL(resource).href;
  } catch {
    return false;
  }
  return allowed.some(
    (entry) => entry.endsWith('/') && resource.startsWith(entry) && normalised.startsWith(entry),
  );
}

/**
 * The policy's refusals of a registration (RFC 7591 3.2.2: `invalid_client_metadata`, naming
 * the member), as `field: message` problems; empty when it is within the policy.
 */
export function registrationPolicyProblems(
  metadata: Pick<ClientMetadata, 'grant_types' | 'resources'>,
  policy: RegistrationPolicy,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const refused = metadata.grant_types.filter((grant) => !policy.grantTypes.includes(grant));
  if (refused.length > 0)
    problems.push({
      field: 'grant_types',
      message:
        `${refused.join(', ')} not allowed for self-registered clients; ` +
        `allowed: ${policy.grantTypes.join(', ') || 'none'}`,
    });
  const allowed = policy.resources;
  if (allowed === null) return problems;
  metadata.resources.forEach((resource, index) => {
    if (!resourceWithinPolicy(resource, allowed))
      problems.push({
        field: `resources[${index}]`,
        message: `${resource} is not among the resources self-registered clients may name`,
      });
  });
  return problems;
}

/**
 * A self-registered or metadata-document client as the policy lets it act now: grant types and
 * registered resources narrowed to the policy (a client registered under a wider one loses the
 * rest at once), and the policy's resources kept on it for the checks of `resource` parameters.
 */
export function withRegistrationPolicy(
  client: RegisteredClient,
  policy: RegistrationPolicy,
): RegisteredClient {
  const grantTypes = client.grantTypes.filter((grant) => policy.grantTypes.includes(grant));
  const allowed = policy.resources;
  if (allowed === null) return { ...client, grantTypes, selfRegistered: true };
  return {
    ...client,
    grantTypes,
    selfRegistered: true,
    resources: client.resources.filter((resource) => resourceWithinPolicy(resource, allowed)),
    resourcePolicy: allowed,
  };
}

/**
 * Why `client` may not ask for `resource` (RFC 8707 2: the caller answers `invalid_target`), or
 * undefined if it may: registered clients name one of their registered resources; metadata
 * document clients, and self-registered clients that registered none, an https URL; a client
 * under the registration policy only one it admits.
 */
export function clientResourceProblem(
  client: RegisteredClient,
  resource: string,
): string | undefined {
  if (client.metadataDocument || (client.selfRegistered && client.resources.length === 0)) {
    const problem = metadataDocumentResourceProblem(resource);
    if (problem) return problem;
  } else if (!client.resources.includes(resource))
    return `resource is not registered for this client: ${resource}`;
  if (client.resourcePolicy && !resourceWithinPolicy(resource, client.resourcePolicy))
    return `resource is not allowed for self-registered clients by this server's policy: ${resource}`;
  return undefined;
}
