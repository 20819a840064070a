import { createHash } from 'node:crypto';
import type { Config } from '@idp/config';
import {
  ACR_VALUES_SUPPORTED,
  buildDiscoveryDocument,
  CLIENT_VERIFICATION_ALGS,
  DEVICE_CODE_GRANT,
  DPOP_SIGNING_ALGORITHMS,
  SUPPORTED_CLAIMS,
  SUPPORTED_SCOPES,
  TOKEN_EXCHANGE_GRANT,
} from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { ifNoneMatch } from '../../http/if-none-match.js';
import { LOCALES } from '../../i18n/index.js';
import { AUTHORIZE_PATH } from '../oauth/authorize.js';
import { DEVICE_AUTHORIZATION_PATH } from '../oauth/device-authorization.js';
import { END_SESSION_PATH } from '../oauth/end-session.js';
import { INTROSPECTION_PATH } from '../oauth/introspection.js';
import { PAR_PATH } from '../oauth/pushed-authorization-request.js';
import { REGISTRATION_PATH } from '../oauth/registration.js';
import { REVOCATION_PATH } from '../oauth/revocation.js';
import { TOKEN_PATH } from '../oauth/token.js';
import { USERINFO_PATH } from '../oauth/userinfo.js';
import { JWKS_PATH } from './jwks.js';

/** What this server supports, as discovery documents it for the configured issuer. */
export function discoveryDocument(
  config: Pick<
    Config,
    | 'issuer'
    | 'signingAlgorithms'
    | 'requirePushedAuthorizationRequests'
    | 'clientMetadataDocuments'
    | 'registration'
  >,
): Record<string, unknown> {
  return buildDiscoveryDocument(
    config.issuer,
    {
      jwks_uri: JWKS_PATH,
      authorization_endpoint: AUTHORIZE_PATH,
      token_endpoint: TOKEN_PATH,
      userinfo_endpoint: USERINFO_PATH,
      revocation_endpoint: REVOCATION_PATH,
      introspection_endpoint: INTROSPECTION_PATH,
      end_session_endpoint: END_SESSION_PATH,
      pushed_authorization_request_endpoint: PAR_PATH,
      device_authorization_endpoint: DEVICE_AUTHORIZATION_PATH,
      // RFC 8414 2 / OIDC Discovery 3: only when dynamic registration is enabled.
      ...(config.registration === 'closed' ? {} : { registration_endpoint: REGISTRATION_PATH }),
    },
    {
      scopes: SUPPORTED_SCOPES,
      claims: SUPPORTED_CLAIMS,
      grantTypes: [
        'authorization_code',
        'refresh_token',
        'client_credentials',
        DEVICE_CODE_GRANT,
        TOKEN_EXCHANGE_GRANT,
      ],
      tokenEndpointAuthMethods: [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
        'none',
      ],
      responseModes: ['query', 'fragment', 'form_post'],
      // Exactly the algorithms this server keeps keys for (startup made sure each has one).
      idTokenSigningAlgs: config.signingAlgorithms,
      extra: {
        // OIDC Registration 2 userinfo_signed_response_alg: any algorithm ID tokens may use.
        userinfo_signing_alg_values_supported: config.signingAlgorithms,
        authorization_response_iss_parameter_supported: true,
        claims_parameter_supported: true,
        // OIDC Discovery 1.0 3: the languages of the pages, chosen by ui_locales (OIDC Core 3.1.2.1).
        ui_locales_supported: LOCALES,
        // RFC 9101 by value; request_uri only for our own PAR URIs, so not advertised here.
        request_parameter_supported: true,
        request_object_signing_alg_values_supported: CLIENT_VERIFICATION_ALGS,
        request_uri_parameter_supported: false,
        token_endpoint_auth_signing_alg_values_supported: CLIENT_VERIFICATION_ALGS,
        revocation_endpoint_auth_signing_alg_values_supported: CLIENT_VERIFICATION_ALGS,
        introspection_endpoint_auth_signing_alg_values_supported: CLIENT_VERIFICATION_ALGS,
        require_pushed_authorization_requests: config.requirePushedAuthorizationRequests,
        dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGORITHMS],
        prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
        acr_values_supported: [...ACR_VALUES_SUPPORTED],
        // Back-Channel Logout 1.0 2.1: logout tokens carry sid, as ID tokens of a browser session do.
        backchannel_logout_supported: true,
        backchannel_logout_session_supported: true,
        // Front-Channel Logout 1.0 3: the logout page loads the RPs' pages with iss and sid.
        frontchannel_logout_supported: true,
        frontchannel_logout_session_supported: true,
        claim_types_supported: ['normal'],
        revocation_endpoint_auth_methods_supported: [
          'client_secret_basic',
          'client_secret_post',
          'private_key_jwt',
          'none',
        ],
        // RFC 7662 2.1: introspection needs an authenticated client; public clients may only revoke.
        introspection_endpoint_auth_methods_supported: [
          'client_secret_basic',
          'client_secret_post',
          'private_key_jwt',
        ],
        // draft-ietf-oauth-client-id-metadata-document-02 6: stated only when https client_ids are on.
        ...(config.clientMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
      },
    },
  );
}

/**
 * GET /.well-known/openid-configuration (OIDC Discovery 4) and
 * /.well-known/oauth-authorization-server (RFC 8414 3): one document, serialised once.
 */
export async function discoveryRoute(app: FastifyInstance) {
  const body = JSON.stringify(discoveryDocument(app.config));
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  for (const path of [
    '/.well-known/openid-configuration',
    '/.well-known/oauth-authorization-server',
  ]) {
    app.get(path, (request, reply) => {
      void reply.header('cache-control', 'public, max-age=300').header('etag', etag);
      if (ifNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
      return reply.header('content-type', 'application/json; charset=utf-8').send(body);
    });
  }
}
