import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Whether browsers reach this server over TLS: HSTS and `__Host-` cookies depend on it. */
export function isHttpsIssuer(issuer: string): boolean {
  return issuer.startsWith('https:');
}

/**
 * helmet with HSTS alone, for every response of an https issuer (RFC 6797 7.1; never on an http
 * one, which browsers ignore and which would only mislead). Registered at the root so that 404s
 * and errors carry it too; every other helmet header is for pages only (below). On an http issuer
 * nothing is registered, so local use and the benchmarks pay for no hook.
 */
export const STRICT_TRANSPORT_SECURITY_ONLY: FastifyHelmetOptions = {
  // One year (RFC 6797 6.1.1), without includeSubDomains or preload: binding every subdomain to
  // https is the operator's decision for their whole domain, not this server's.
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  contentSecurityPolicy: false,
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  xContentTypeOptions: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xPoweredBy: false,
  xXssProtection: false,
};

export const strictTransportSecurity = fp(
  async (app: FastifyInstance, options: { issuer: string }) => {
    if (!isHttpsIssuer(options.issuer)) return;
    await app.register(helmet, STRICT_TRANSPORT_SECURITY_ONLY);
  },
  { name: 'idp-strict-transport-security', fastify: '5.x' },
);

/**
 * helmet's headers for what people's browsers navigate to (pages and their redirects), in the
 * context it is registered in. Off, because each page or flow sets its own:
 * - the CSP: every page sends one with the hashes of its inline style and script and its form
 *   targets (views/layout.ts), which a shared policy would contradict;
 * - X-Frame-Options: pages send DENY with `frame-ancestors 'none'`; redirects of /authorize stay
 *   unmarked so that silent renewal in an iframe (prompt=none) keeps working;
 * - Cross-Origin-Opener-Policy: same-origin would cut a login popup off from the application
 *   that opened it (the popup flow of SPA libraries);
 * - HSTS: the root's helmet (`strictTransportSecurity`) sends it on every response.
 */
export const BROWSER_HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: false,
  xFrameOptions: false,
  crossOriginOpenerPolicy: false,
  strictTransportSecurity: false,
};

export const browserSecurityHeaders = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, BROWSER_HELMET_OPTIONS);
  },
  { name: 'idp-browser-security-headers', fastify: '5.x' },
);
