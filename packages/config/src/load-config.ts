import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { issuerProblem } from './issuer.js';
import { settings, type Settings } from './settings.js';

type Parsed = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** The validated configuration of one server process. */
export interface Config extends Omit<Parsed, 'issuer'> {
  /** Exactly as configured (or the default); never rewritten. */
  readonly issuer: string;
  /** Longest lifetime of any token the server signs: how long a retired key stays published. */
  readonly longestTokenTtl: number;
}

/**
 * Validates settings from an environment (by default `process.env`). Throws a `ConfigError`
 * listing every problem, so an operator fixes them all in one go.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(settings)) {
    const raw = env[spec.variable];
    // An empty variable is "unset", as shells and .env files commonly produce them.
    const result = spec.schema.safeParse(raw === '' ? undefined : raw);
    if (result.success) {
      values[key] = result.data;
    } else {
      const shown =
        raw === undefined ? '' : ` (got ${JSON.stringify(truncate(hidePassword(raw)))})`;
      for (const issue of result.error.issues) {
        problems.push({ variable: spec.variable, message: `${issue.message}${shown}` });
      }
    }
  }
  const parsed = values as Parsed;
  if (parsed.otlpTracesUrl === undefined) {
    const standard = standardTracesEndpoint(env);
    if (standard) {
      const result = settings.otlpTracesUrl.schema.safeParse(standard.url);
      if (result.success) values.otlpTracesUrl = result.data;
      else
        problems.push({
          variable: standard.variable,
          message: `must be an http or https URL (got ${JSON.stringify(truncate(standard.url))})`,
        });
    }
  }

  const issuer = parsed.issuer ?? `http://localhost:${parsed.port ?? 3000}`;
  if (values.issuer !== undefined || !problems.some((p) => p.variable === 'PORT')) {
    const problem = issuerProblem(issuer);
    if (problem)
      problems.push({
        variable: 'IDP_ISSUER',
        message: `${problem} (got ${JSON.stringify(issuer)})`,
      });
  }
  if (
    parsed.refreshTokenAbsoluteTtl !== undefined &&
    parsed.refreshTokenIdleTtl !== undefined &&
    parsed.refreshTokenAbsoluteTtl < parsed.refreshTokenIdleTtl
  ) {
    problems.push({
      variable: 'IDP_REFRESH_TOKEN_ABSOLUTE_TTL',
      message: 'must be at least IDP_REFRESH_TOKEN_IDLE_TTL',
    });
  }
  // OIDC Discovery 1.0 3: id_token_signing_alg_values_supported "MUST" include RS256, and it lists
  // exactly the algorithms configured here.
  if (parsed.signingAlgorithms !== undefined && !parsed.signingAlgorithms.includes('RS256')) {
    problems.push({
      variable: 'IDP_SIGNING_ALGORITHMS',
      message:
        'must include RS256, which OpenID Connect Discovery requires every provider to offer for ID tokens (clients choose theirs with id_token_signed_response_alg)',
    });
  }
  if (
    parsed.tokenSigningAlg !== undefined &&
    parsed.signingAlgorithms !== undefined &&
    !parsed.signingAlgorithms.includes(parsed.tokenSigningAlg)
  ) {
    problems.push({
      variable: 'IDP_TOKEN_SIGNING_ALG',
      message: `must be one of IDP_SIGNING_ALGORITHMS (${parsed.signingAlgorithms.join(', ')}); add ${parsed.tokenSigningAlg} there`,
    });
  }
  // A grace retry signs the successor refresh token again and must get the very bytes whose
  // hash is stored: PS256 (random salt) and ES256 (random nonce) never sign the same twice.
  if (
    (parsed.refreshTokenReuseGrace ?? 0) > 0 &&
    (parsed.tokenSigningAlg === 'PS256' || parsed.tokenSigningAlg === 'ES256')
  ) {
    problems.push({
      variable: 'IDP_TOKEN_SIGNING_ALG',
      message: `${parsed.tokenSigningAlg} signatures are randomised, so a refresh token cannot be issued again within IDP_REFRESH_TOKEN_REUSE_GRACE; use RS256 or EdDSA, or set IDP_REFRESH_TOKEN_REUSE_GRACE=0s`,
    });
  }
  if (parsed.metricsPort !== undefined && parsed.metricsPort === parsed.port) {
    problems.push({
      variable: 'IDP_METRICS_PORT',
      message: 'must differ from PORT: metrics are served on a listener of their own',
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    ...parsed,
    issuer,
    longestTokenTtl: Math.max(
      parsed.accessTokenTtl,
      parsed.idTokenTtl,
      parsed.refreshTokenAbsoluteTtl,
    ),
  });
}

/**
 * OpenTelemetry's own variables, for deployments that configure every service alike:
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, else OTEL_EXPORTER_OTLP_ENDPOINT with the traces path
 * appended (OpenTelemetry's OTLP exporter specification). IDP_OTLP_TRACES_URL wins over both.
 */
function standardTracesEndpoint(
  env: Record<string, string | undefined>,
): { variable: string; url: string } | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return { variable: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', url: traces };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (base)
    return {
      variable: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      url: `${base.replace(/\/+$/, '')}/v1/traces`,
    };
  return undefined;
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A URL's password never reaches an error message (IDP_SMTP_URL, DATABASE_URL). */
function hidePassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^/@]*@/i, '$1:***@');
}
