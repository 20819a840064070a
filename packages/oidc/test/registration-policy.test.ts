import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clientResourceProblem,
  registrationPolicyProblems,
  resourceWithinPolicy,
  withRegistrationPolicy,
  type RegisteredClient,
  type RegistrationPolicy,
} from '../src/index.js';

const allowed = ['https://mcp.example.com/', 'https://api.example.com/orders'];
const policy: RegistrationPolicy = {
  grantTypes: ['authorization_code', 'refresh_token'],
  resources: allowed,
};

test('an entry ending in / admits what is under it; any other entry only itself', () => {
  assert.equal(resourceWithinPolicy('https://mcp.example.com/', allowed), true);
  assert.equal(resourceWithinPolicy('https://mcp.example.com/mcp', allowed), true);
  assert.equal(resourceWithinPolicy('https://api.example.com/orders', allowed), true);
  assert.equal(resourceWithinPolicy('https://api.example.com/orders/1', allowed), false);
  assert.equal(resourceWithinPolicy('https://api.example.com/ordersx', allowed), false);
  assert.equal(resourceWithinPolicy('https://mcp.example.com.evil.test/', allowed), false);
  assert.equal(resourceWithinPolicy('https://other.example/', allowed), false);
  assert.equal(resourceWithinPolicy('https://other.example/', []), false);
});

test('dot segments cannot climb out of a prefix', () => {
  const allowed = ['https://api.example/mcp/'];
  assert.equal(resourceWithinPolicy('https://api.example/mcp/../admin', allowed), false);
  assert.equal(resourceWithinPolicy('https://api.example/mcp/%2e%2e/admin', allowed), false);
  assert.equal(resourceWithinPolicy('https://api.example/mcp/tools', allowed), true);
});

test('RFC 7591 3.2.2: a registration beyond the policy is refused naming the member', () => {
  const problems = registrationPolicyProblems(
    {
      grant_types: ['authorization_code', 'client_credentials'],
      resources: ['https://mcp.example.com/x', 'https://internal.example/'],
    },
    policy,
  );
  assert.deepEqual(
    problems.map((p) => p.field),
    ['grant_types', 'resources[1]'],
  );
  assert.match(problems[0]!.message, /client_credentials not allowed/);
  assert.deepEqual(
    registrationPolicyProblems(
      { grant_types: ['authorization_code'], resources: ['https://mcp.example.com/x'] },
      policy,
    ),
    [],
  );
});

const registered = {
  clientId: 'self',
  grantTypes: ['authorization_code', 'client_credentials'],
  resources: ['https://mcp.example.com/x', 'https://internal.example/'],
} as unknown as RegisteredClient;

test('a client registered under a wider policy acts within the current one', () => {
  const limited = withRegistrationPolicy(registered, policy);
  assert.deepEqual(limited.grantTypes, ['authorization_code']);
  assert.deepEqual(limited.resources, ['https://mcp.example.com/x']);
  assert.equal(clientResourceProblem(limited, 'https://mcp.example.com/x'), undefined);
  assert.match(
    clientResourceProblem(limited, 'https://internal.example/') ?? '',
    /not registered for this client/,
  );
});

test('RFC 8707 2: a metadata document client may name only resources the policy admits', () => {
  const document = withRegistrationPolicy(
    { ...registered, resources: [], metadataDocument: true },
    policy,
  );
  assert.equal(clientResourceProblem(document, 'https://mcp.example.com/mcp'), undefined);
  assert.match(
    clientResourceProblem(document, 'https://elsewhere.example/api') ?? '',
    /not allowed for self-registered clients/,
  );
  assert.match(
    clientResourceProblem(document, 'http://internal.example/api') ?? '',
    /must be an https URL/,
  );
  // An operator's client (no policy) keeps the registered-resources rule alone.
  assert.equal(clientResourceProblem(registered, 'https://internal.example/'), undefined);
});

test('an unset resource list (null) does not narrow: registration and resources as without a policy', () => {
  const open: RegistrationPolicy = { grantTypes: policy.grantTypes, resources: null };
  assert.deepEqual(
    registrationPolicyProblems(
      { grant_types: ['authorization_code'], resources: ['https://internal.example/'] },
      open,
    ),
    [],
  );
  const kept = withRegistrationPolicy(registered, open);
  assert.deepEqual(kept.resources, registered.resources);
  assert.equal(kept.resourcePolicy, undefined);
  assert.equal(clientResourceProblem(kept, 'https://internal.example/'), undefined);
  const document = withRegistrationPolicy({ ...registered, metadataDocument: true }, open);
  assert.equal(clientResourceProblem(document, 'https://elsewhere.example/api'), undefined);
});

test('RFC 8707 2: a self-registered client that registered no resources names an https one per request (an MCP client registering itself)', () => {
  const open: RegistrationPolicy = { grantTypes: policy.grantTypes, resources: null };
  const mcp = withRegistrationPolicy({ ...registered, resources: [] }, open);
  assert.equal(clientResourceProblem(mcp, 'https://mcp.example.com/mcp'), undefined);
  assert.equal(clientResourceProblem(mcp, 'http://127.0.0.1:8080/mcp'), undefined);
  assert.match(clientResourceProblem(mcp, 'http://internal.example/api') ?? '', /https URL/);
  // Under a listed policy, only what it admits.
  const listed = withRegistrationPolicy({ ...registered, resources: [] }, policy);
  assert.equal(clientResourceProblem(listed, 'https://mcp.example.com/mcp'), undefined);
  assert.match(
    clientResourceProblem(listed, 'https://elsewhere.example/api') ?? '',
    /not allowed for self-registered clients/,
  );
  // An operator's client with no resources still gets only the issuer's default audience.
  assert.match(
    clientResourceProblem({ ...registered, resources: [] }, 'https://mcp.example.com/mcp') ?? '',
    /not registered for this client/,
  );
});
