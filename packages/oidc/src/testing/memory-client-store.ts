import type { RegisteredClient } from '../clients/registered-client.js';
import { auditActor, type ClientChangeActor, type ClientStore } from '../ports/client-store.js';
import { matchesSearch, type PageQuery } from '../ports/page-query.js';
import { StoreError } from '../ports/store-error.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `ClientStore`, on shared in-memory tables. */
export class MemoryClientStore implements ClientStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async findById(clientId: string): Promise<RegisteredClient | null> {
    return this.#tables.clients.get(clientId) ?? null;
  }

  async changeCount(): Promise<number> {
    return this.#tables.clientChanges;
  }

  async list(): Promise<RegisteredClient[]> {
    return [...this.#tables.clients.values()].sort((a, b) =>
      a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0,
    );
  }

  async page(query: PageQuery): Promise<RegisteredClient[]> {
    return (await this.list())
      .filter((c) => query.after === undefined || c.clientId > query.after)
      .filter((c) => matchesSearch(query.search, c.clientId, c.clientName))
      .slice(0, query.limit);
  }

  async create(client: RegisteredClient, actor: string, now: number): Promise<RegisteredClient> {
    if (this.#tables.clients.has(client.clientId))
      throw new StoreError('conflict', `a client with client_id ${client.clientId} already exists`);
    return this.#write(client, 'client.created', actor, now);
  }

  async update(
    client: RegisteredClient,
    by: ClientChangeActor,
    changed: readonly string[],
    now: number,
  ): Promise<RegisteredClient> {
    this.#existing(client.clientId);
    return this.#write(client, 'client.updated', by, now, { changed: [...changed] });
  }

  async remove(clientId: string, by: ClientChangeActor, now: number): Promise<void> {
    this.#existing(clientId);
    const tables = this.#tables;
    tables.clients.delete(clientId);
    tables.clientRegistrations.delete(clientId);
    for (const [key] of tables.consents)
      if (key.endsWith(` ${clientId}`)) tables.consents.delete(key);
    for (const [hash, code] of tables.codes)
      if (code.clientId === clientId) tables.codes.delete(hash);
    for (const family of [...tables.families.values()])
      if (family.clientId === clientId) tables.deleteFamily(family.id);
    tables.recordAudit({ type: 'client.removed', ...auditActor(by), clientId }, now);
    tables.clientChanges += 1;
  }

  async setSecretHash(
    clientId: string,
    secretHash: string,
    actor: string,
    now: number,
  ): Promise<void> {
    const client = this.#existing(clientId);
    this.#tables.clients.set(clientId, { ...client, secretHash });
    this.#tables.recordAudit({ type: 'client.secret_rotated', actor, clientId }, now);
    this.#tables.clientChanges += 1;
  }

  async saveMetadataDocumentClient(client: RegisteredClient, now: number): Promise<void> {
    const tables = this.#tables;
    const existing = tables.clients.get(client.clientId);
    if (existing && existing.metadataDocument !== true)
      throw new StoreError('conflict', `a registered client has client_id ${client.clientId}`);
    const stored = structuredClone({ ...client, metadataDocument: true as const });
    tables.clients.set(client.clientId, stored);
    tables.metadataDocumentFetchedAt.set(client.clientId, now);
    if (!existing || JSON.stringify(existing) !== JSON.stringify(stored))
      tables.recordAudit(
        {
          type: 'client.metadata_document',
          actor: client.clientId,
          clientId: client.clientId,
          data: { created: !existing },
        },
        now,
      );
  }

  #existing(clientId: string): RegisteredClient {
    const client = this.#tables.clients.get(clientId);
    if (!client) throw new StoreError('not_found', `no client with client_id ${clientId}`);
    return client;
  }

  #write(
    client: RegisteredClient,
    type: string,
    by: ClientChangeActor,
    now: number,
    data?: Record<string, unknown>,
  ): RegisteredClient {
    const stored = structuredClone(client);
    this.#tables.clients.set(client.clientId, stored);
    this.#tables.recordAudit({ type, ...auditActor(by), clientId: client.clientId, data }, now);
    this.#tables.clientChanges += 1;
    return stored;
  }
}
