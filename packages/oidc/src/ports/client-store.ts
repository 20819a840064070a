import type { RegisteredClient } from '../clients/registered-client.js';
import type { PageQuery } from './page-query.js';

/**
 * Who made a change, for its audit event: an actor name, or one with the address the request
 * came from (a dynamic registration's update or deletion, like its creation).
 */
export type ClientChangeActor = string | { readonly actor: string; readonly ip?: string };

/** The audit event's `actor` and `ip` members for `by`. */
export function auditActor(by: ClientChangeActor): { actor: string; ip?: string } {
  if (typeof by === 'string') return { actor: by };
  return by.ip === undefined ? { actor: by.actor } : { actor: by.actor, ip: by.ip };
}

/**
 * Registered clients (relying parties and resource servers).
 *
 * Contract:
 * - Every write is one transaction together with its audit event (`actor` recorded, and the
 *   `ip` when `update` or `remove` is given one, at `now`)
 *   and a step of the change counter; a write that throws leaves nothing behind.
 * - A find or list after a write returns the written state. `list` is ordered by client_id.
 * - `create` throws `StoreError('conflict')` for a taken client_id; `update`, `remove` and
 *   `setSecretHash` throw `StoreError('not_found')` for an unknown one.
 * - `remove` also deletes the client's consents, authorization codes and token families (with
 *   their refresh tokens).
 * - `page` is `list` in slices: clients whose client_id sorts after `after`, whose client_id or
 *   client_name contains `search` (ASCII letters compared case-insensitively), at most `limit`.
 */
export interface ClientStore {
  /** Null when no client has this id (also for ids no stored row can match). */
  findById(clientId: string): Promise<RegisteredClient | null>;
  /**
   * A number that moves whenever a client is created, updated, removed or re-keyed (here or by a
   * seed import), moved in the same transaction as the change: an instance that reads the new
   * value also reads the change. Instances caching clients poll it. 0 before the first change.
   */
  changeCount(): Promise<number>;
  list(): Promise<RegisteredClient[]>;
  page(query: PageQuery): Promise<RegisteredClient[]>;
  create(client: RegisteredClient, actor: string, now: number): Promise<RegisteredClient>;
  /**
   * Replaces the client's metadata in place (its consents, codes and families stay);
   * `client.secretHash` is stored as given. `changed` names the fields for the audit event.
   */
  update(
    client: RegisteredClient,
    by: ClientChangeActor,
    changed: readonly string[],
    now: number,
  ): Promise<RegisteredClient>;
  remove(clientId: string, by: ClientChangeActor, now: number): Promise<void>;
  setSecretHash(clientId: string, secretHash: string, actor: string, now: number): Promise<void>;
  /**
   * Stores a client known by its Client ID Metadata Document (`client.metadataDocument`), as
   * last fetched at `now`, so that its consents, codes and token families have a client row:
   * inserted the first time, replaced in place afterwards. Does not move the change counter
   * (such clients are resolved by fetching their document, not through the client cache). Audits
   * `client.metadata_document` (actor: the client_id) when the row is new or its metadata changed.
   * Throws `StoreError('conflict')` when a registered client (not from a document) has this id.
   * `findById` then returns the client with `metadataDocument: true`.
   */
  saveMetadataDocumentClient(client: RegisteredClient, now: number): Promise<void>;
}
