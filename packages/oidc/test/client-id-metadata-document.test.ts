import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  clientFromMetadataDocument,
  clientIdUrlProblem,
  isClientIdUrl,
  metadataDocumentResourceProblem,
} from '../src/index.js';

const URL_ID = 'https://app.example/oauth/client.json';
const ALGS = ['RS256'];
const document = (members: Record<string, unknown> = {}) => ({
  client_id: URL_ID,
  client_name: 'Example MCP client',
  redirect_uris: ['http://127.0.0.1:33418/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'none',
  ...members,
});
const problem = (members: Record<string, unknown>, id = URL_ID) => {
  const result = clientFromMetadataDocument(id, document(members), ALGS);
  assert.ok('problem' in result, 'refused');
  return result.problem;
};

describe('Client Identifier URL (draft-ietf-oauth-client-id-metadata-document-02 3)', () => {
  test('URL-shaped ids are told apart from registrable ones', () => {
    assert.equal(isClientIdUrl(URL_ID), true);
    assert.equal(isClientIdUrl('http://127.0.0.1:8080/client.json'), true);
    assert.equal(isClientIdUrl('web'), false);
  });

  test('accepts an https URL with a path; a query is allowed (SHOULD NOT is not MUST NOT)', () => {
    assert.equal(clientIdUrlProblem(URL_ID), undefined);
    assert.equal(clientIdUrlProblem('https://app.example:8443/c?v=1'), undefined);
  });

  test('MUST use https: http only for hosts the operator allows', () => {
    assert.match(clientIdUrlProblem('http://app.example/c')!, /https/);
    assert.equal(clientIdUrlProblem('http://127.0.0.1:9000/c', ['127.0.0.1']), undefined);
    assert.match(clientIdUrlProblem('ftp://app.example/c')!, /https/);
  });

  test('MUST NOT contain userinfo or a fragment; MUST contain a path; no dot segments', () => {
    assert.match(clientIdUrlProblem('https://user:pw@app.example/c')!, /user name/);
    assert.match(clientIdUrlProblem('https://app.example/c#x')!, /fragment/);
    assert.match(clientIdUrlProblem('https://app.example/')!, /path/);
    assert.match(clientIdUrlProblem('https://app.example')!, /canonical|path/);
    assert.match(clientIdUrlProblem('https://app.example/a/../c')!, /\.\./);
    assert.match(clientIdUrlProblem('https://app.example/a/./c')!, /\./);
    assert.match(clientIdUrlProblem('https://app.example/%2e%2e/c')!, /\./);
  });

  test('must be in canonical form, so the string compared is the one fetched', () => {
    assert.match(clientIdUrlProblem('https://APP.example/c')!, /canonical/);
    assert.match(clientIdUrlProblem('https://app.example:443/c')!, /canonical/);
  });
});

describe('Client ID Metadata Document (draft 4, 4.1, 4.2)', () => {
  test('a public client document becomes a client that is never first-party and always uses PKCE', () => {
    const result = clientFromMetadataDocument(
      URL_ID,
      document({ first_party: true, require_pkce: false, resources: ['https://x.example'] }),
      ALGS,
    );
    assert.ok('client' in result);
    assert.equal(result.client.clientId, URL_ID);
    assert.equal(result.client.tokenEndpointAuthMethod, 'none');
    assert.equal(result.client.secretHash, null);
    assert.equal(result.client.firstParty, false);
    assert.equal(result.client.requirePkce, true);
    assert.deepEqual(result.client.resources, []);
    assert.equal(result.client.metadataDocument, true);
  });

  test('token_endpoint_auth_method defaults to none (a shared secret cannot exist)', () => {
    const result = clientFromMetadataDocument(
      URL_ID,
      document({ token_endpoint_auth_method: undefined }),
      ALGS,
    );
    assert.ok('client' in result);
    assert.equal(result.client.tokenEndpointAuthMethod, 'none');
  });

  test('client_id MUST match the URL the document was fetched from (simple string comparison)', () => {
    assert.match(problem({ client_id: 'https://other.example/client.json' }), /must equal its URL/);
    assert.match(problem({ client_id: `${URL_ID}/` }), /must equal its URL/);
    assert.match(problem({ client_id: undefined }), /must equal its URL/);
  });

  test('4.1: client_secret, client_secret_expires_at and shared-secret methods MUST NOT be used', () => {
    assert.match(problem({ client_secret: 'x'.repeat(40) }), /client_secret/);
    assert.match(problem({ client_secret_expires_at: 0 }), /client_secret_expires_at/);
    for (const method of ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'])
      assert.match(problem({ token_endpoint_auth_method: method }), /none or private_key_jwt/);
  });

  test('4.1: private key material MUST NOT be included; private_key_jwt needs public keys', () => {
    assert.match(problem({ token_endpoint_auth_method: 'private_key_jwt' }), /jwks/);
    assert.match(
      problem({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'secret' }] },
      }),
      /private key material/,
    );
    const result = clientFromMetadataDocument(
      URL_ID,
      document({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: 'https://app.example/jwks.json',
      }),
      ALGS,
    );
    assert.ok('client' in result);
    assert.equal(result.client.jwksUri, 'https://app.example/jwks.json');
  });

  test('redirect_uris are required and validated like a registration', () => {
    assert.match(problem({ redirect_uris: undefined }), /redirect_uris/);
    assert.match(problem({ redirect_uris: [] }), /redirect_uris/);
    assert.match(problem({ redirect_uris: ['http://evil.example/cb'] }), /redirect_uris/);
  });

  test('only interactive grants; not a JSON object; an algorithm the server has no key for', () => {
    assert.match(problem({ grant_types: ['client_credentials'] }), /grant_types/);
    assert.match(problem({ id_token_signed_response_alg: 'ES256' }), /does not sign with ES256/);
    const notObject = clientFromMetadataDocument(URL_ID, ['a'], ALGS);
    assert.ok('problem' in notObject && /JSON object/.test(notObject.problem));
  });
});

describe('resources for metadata document clients (RFC 8707)', () => {
  test('https URLs, and http on loopback (a local MCP server), are accepted', () => {
    assert.equal(metadataDocumentResourceProblem('https://mcp.example/mcp'), undefined);
    assert.equal(metadataDocumentResourceProblem('http://127.0.0.1:8931/mcp'), undefined);
    assert.equal(metadataDocumentResourceProblem('http://localhost:8931/mcp'), undefined);
  });

  test('anything else is refused: http elsewhere, fragments, credentials, non-URLs', () => {
    assert.match(metadataDocumentResourceProblem('http://mcp.example/mcp')!, /https/);
    assert.match(metadataDocumentResourceProblem('https://mcp.example/mcp#x')!, /fragment/);
    assert.match(metadataDocumentResourceProblem('https://u:p@mcp.example/')!, /user name/);
    assert.match(metadataDocumentResourceProblem('urn:example:api')!, /https/);
    assert.match(metadataDocumentResourceProblem('not a url')!, /absolute/);
  });
});

test('a metadata document cannot ask for the admin scope, which only an operator grants', () => {
  assert.match(problem({ scope: 'openid idp:admin' }), /^scope: idp:admin /);
});
