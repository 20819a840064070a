import type { IncomingHttpHeaders } from 'node:http';
import {
  AuthorizationError,
  clientFromMetadataDocument,
  clientIdUrlProblem,
  type RegisteredClient,
} from '@idp/oidc';
import { LRUCache } from 'lru-cache';

/**
 * How long a fetched document is used before it is fetched again: its `Cache-Control` max-age
 * (less its `Age`), held within these bounds, which the draft allows (5.2). The floor keeps one
 * sign-in (authorize, login, consent, token: four lookups) to one fetch, and a hostile document
 * saying `no-store` from making the server fetch on every request.
 */
export const DOCUMENT_CACHE = {
  minMs: 60_000,
  maxMs: 24 * 3_600_000,
  /** Without a max-age. */
  defaultMs: 5 * 60_000,
} as const;

/** Documents kept in memory at most (least recently used out first). */
const MAX_CACHED_DOCUMENTS = 1_000;

/** The document's freshness lifetime from its headers (RFC 9111 5.2.2.1, 5.1), within bounds. */
export function documentLifetimeMs(headers: IncomingHttpHeaders): number {
  const cacheControl = String(headers['cache-control'] ?? '').toLowerCase();
  const clamp = (ms: number) => Math.min(DOCUMENT_CACHE.maxMs, Math.max(DOCUMENT_CACHE.minMs, ms));
  if (/(^|[\s,])(no-store|no-cache)\b/.test(cacheControl)) return DOCUMENT_CACHE.minMs;
  const maxAge = /(?:^|[\s,])max-age\s*=\s*"?(\d{1,10})"?/.exec(cacheControl)?.[1];
  if (maxAge === undefined) return DOCUMENT_CACHE.defaultMs;
  const age = Number(/^\d{1,10}$/.exec(String(headers.age ?? ''))?.[0] ?? 0);
  return clamp((Number(maxAge) - age) * 1000);
}

export interface MetadataDocumentClientsOptions {
  /** GETs the document through the outbound guard (no redirects, size limit, SSRF checks). */
  readonly fetch: (url: string) => Promise<{ document: unknown; headers: IncomingHttpHeaders }>;
  /** Stores the client row its consents, codes and families refer to (ClientStore). */
  readonly save: (client: RegisteredClient, now: number) => Promise<void>;
  /** Algorithms this server signs ID tokens with. */
  readonly signingAlgorithms: readonly string[];
  /** Hosts that may be reached over plain http (IDP_OUTBOUND_ALLOWED_HOSTS). */
  readonly plainHttpHosts: readonly string[];
  readonly now: () => number;
  /** Told why a document was refused (the server logs it). */
  readonly onRefused?: (url: string, reason: string) => void;
}

/**
 * Clients named by an https URL (draft-ietf-oauth-client-id-metadata-document-02): the URL is
 * checked, the document fetched, validated by the core (`clientFromMetadataDocument`), saved as
 * a client row, and kept in memory for its cache lifetime. Errors and invalid documents are
 * never cached (5.2); concurrent lookups of one URL share one fetch. A refusal throws an
 * `invalid_client` AuthorizationError saying why, which /authorize shows on its error page
 * (never a redirect: the redirect_uris are not known) and the token endpoint answers as JSON.
 */
export class MetadataDocumentClients {
  readonly #options: MetadataDocumentClientsOptions;
  readonly #cache = new LRUCache<string, { client: RegisteredClient; expiresAt: number }>({
    max: MAX_CACHED_DOCUMENTS,
  });
  readonly #pending = new Map<string, Promise<RegisteredClient>>();

  constructor(options: MetadataDocumentClientsOptions) {
    this.#options = options;
  }

  async findById(url: string): Promise<RegisteredClient> {
    const hit = this.#cache.get(url);
    if (hit && this.#options.now() < hit.expiresAt) return hit.client;
    const pending = this.#pending.get(url);
    if (pending) return pending;
    const loading = this.#load(url).finally(() => this.#pending.delete(url));
    this.#pending.set(url, loading);
    return loading;
  }

  async #load(url: string): Promise<RegisteredClient> {
    const problem = clientIdUrlProblem(url, this.#options.plainHttpHosts);
    if (problem) throw this.#refuse(url, problem);
    let fetched: Awaited<ReturnType<MetadataDocumentClientsOptions['fetch']>>;
    try {
      fetched = await this.#options.fetch(url);
    } catch (error) {
      throw this.#refuse(url, `it could not be fetched: ${(error as Error).message}`);
    }
    const result = clientFromMetadataDocument(
      url,
      fetched.document,
      this.#options.signingAlgorithms,
    );
    if ('problem' in result) throw this.#refuse(url, result.problem);
    const now = this.#options.now();
    try {
      await this.#options.save(result.client, now);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'conflict')
        throw this.#refuse(url, 'a registered client has this client_id');
      throw error;
    }
    this.#cache.set(url, {
      client: result.client,
      expiresAt: now + documentLifetimeMs(fetched.headers),
    });
    return result.client;
  }

  #refuse(url: string, reason: string): AuthorizationError {
    this.#options.onRefused?.(url, reason);
    return new AuthorizationError(
      'invalid_client',
      `The application's client metadata document (${url}) cannot be used: ${reason}.`,
    );
  }
}
