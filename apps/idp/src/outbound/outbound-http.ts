import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { isPublicAddress } from './destination-address.js';

/** Why an outbound request was not made or not accepted; the message names the cause. */
export class OutboundRequestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboundRequestError';
  }
}

/**
 * The outbound rules refused the destination itself (not https, credentials in the URL, a
 * private or loopback address outside IDP_OUTBOUND_ALLOWED_HOSTS, a redirect): asking again
 * cannot succeed, so callers that retry (back-channel logout) stop at the first.
 */
export class OutboundDestinationRefused extends OutboundRequestError {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundDestinationRefused';
  }
}

export interface OutboundPolicy {
  /** Hosts (lower case, IPv6 without brackets) that may be private or loopback, and plain http. */
  readonly allowedHosts: readonly string[];
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export interface OutboundResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface OutboundRequest {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export const DEFAULT_OUTBOUND_POLICY: Omit<OutboundPolicy, 'allowedHosts'> = {
  timeoutMs: 5_000,
  maxBytes: 256 * 1024,
};

/**
 * A DNS lookup that refuses a name when any of its addresses is not public. The socket connects
 * to the very addresses checked here, so a name that resolves differently a moment later (DNS
 * rebinding) cannot slip an internal address past the check.
 */
function guardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(
      hostname,
      { all: true, family: options.family ?? 0, hints: options.hints },
      (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 0);
        const refused = addresses.find((entry) => !isPublicAddress(entry.address));
        if (refused || addresses.length === 0) {
          const reason = refused
            ? `${hostname} resolves to ${refused.address}, which is not a public address`
            : `${hostname} has no address`;
          return callback(
            Object.assign(new OutboundDestinationRefused(reason), { code: 'ERR_OUTBOUND_REFUSED' }),
            '',
            0,
          );
        }
        // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), one otherwise.
        if (options.all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
    );
  };
}

/**
 * The server's own HTTP requests to URLs that clients chose (their `jwks_uri`, and later metadata
 * documents and back-channel logout): https only, no redirects, a deadline for the whole exchange,
 * a cap on the response size, and never a private, loopback or link-local destination (checked
 * on the resolved addresses) unless the operator allowed that host, which then may use http too.
 */
export async function outboundRequest(
  url: string,
  policy: OutboundPolicy,
  init: OutboundRequest = {},
): Promise<OutboundResponse> {
  let target: URL;
  try {
    target = new URL(url);
  } catch (error) {
    throw new OutboundRequestError(`not a URL: ${url}`, { cause: error });
  }
  const host = target.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const allowed = policy.allowedHosts.includes(host);
  if (target.protocol !== 'https:' && !(allowed && target.protocol === 'http:')) {
    throw new OutboundDestinationRefused(
      `${target.origin}: only https URLs are fetched (http only for hosts in IDP_OUTBOUND_ALLOWED_HOSTS)`,
    );
  }
  if (target.username || target.password)
    throw new OutboundDestinationRefused('URLs with credentials are not fetched');
  // Node connects to an IP literal without a lookup, so literals are judged here.
  if (!allowed && isIP(host) !== 0 && !isPublicAddress(host)) {
    throw new OutboundDestinationRefused(
      `${host} is not a public address (allow it with IDP_OUTBOUND_ALLOWED_HOSTS)`,
    );
  }

  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const request = send(
      target,
      {
        method: init.method ?? 'GET',
        headers: {
          'user-agent': 'idp',
          ...(init.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(init.body)) }),
          ...init.headers,
        },
        // An allowed host is trusted as it resolves; any other name is checked address by address.
        ...(allowed ? {} : { lookup: guardedLookup() }),
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          response.destroy();
          return fail(
            new OutboundDestinationRefused(
              `${target.origin}${target.pathname} answered ${status}: redirects are not followed`,
            ),
          );
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > policy.maxBytes) {
          response.destroy();
          return fail(new OutboundRequestError(`response larger than ${policy.maxBytes} bytes`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > policy.maxBytes) {
            response.destroy();
            fail(new OutboundRequestError(`response larger than ${policy.maxBytes} bytes`));
          } else {
            chunks.push(chunk);
          }
        });
        response.on('error', (error) =>
          fail(new OutboundRequestError(error.message, { cause: error })),
        );
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status, headers: response.headers, body: Buffer.concat(chunks) });
        });
      },
    );
    const timer = setTimeout(
      () => fail(new OutboundRequestError(`no complete answer within ${policy.timeoutMs} ms`)),
      policy.timeoutMs,
    );
    function fail(error: Error): void {
      clearTimeout(timer);
      request.destroy();
      reject(
        error instanceof OutboundRequestError
          ? error
          : new OutboundRequestError(error.message, { cause: error }),
      );
    }
    request.on('error', fail);
    request.end(init.body);
  });
}

/** GETs a JSON document: status 200, a JSON media type, a body that parses. */
export async function fetchJson(
  url: string,
  policy: OutboundPolicy,
  accept = 'application/json',
): Promise<unknown> {
  return (await fetchJsonDocument(url, policy, accept)).document;
}

/** As `fetchJson`, with the response headers (for caching by `Cache-Control`). */
export async function fetchJsonDocument(
  url: string,
  policy: OutboundPolicy,
  accept = 'application/json',
): Promise<{ document: unknown; headers: IncomingHttpHeaders }> {
  const response = await outboundRequest(url, policy, { headers: { accept } });
  if (response.status !== 200) throw new OutboundRequestError(`${url} answered ${response.status}`);
  const type = String(response.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/([a-z0-9.+-]*\+)?json\b/.test(type))
    throw new OutboundRequestError(`${url} answered ${type || 'no content type'}, not JSON`);
  try {
    return {
      document: JSON.parse(response.body.toString('utf8')) as unknown,
      headers: response.headers,
    };
  } catch (error) {
    throw new OutboundRequestError(`${url} did not answer valid JSON`, { cause: error });
  }
}
