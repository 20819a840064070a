import type { ClientStore, RegisteredClient } from '@idp/oidc';
import type { Database } from '../database.js';
import { auditRow } from './audit.js';
import { countChange, readChangeCounter } from './change-counter.js';
import { canMatchStoredText } from './lookup-key.js';
import { clientColumns, toRegisteredClient } from './row-mappers.js';
import { StoreError } from './store-error.js';

/** Registered clients (relying parties and resource servers). */
export class ClientRepository implements ClientStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async findById(clientId: string): Promise<RegisteredClient | null> {
    if (!canMatchStoredText(clientId)) return null;
    const row = await this.#db.prisma.client.findUnique({ where: { id: clientId } });
    return row ? toRegisteredClient(row) : null;
  }

  /**
   * A number that moves whenever a client is added, removed or changed by this repository or a
   * seed import, in the same transaction as the change: instances that cache clients poll it.
   */
  async changeCount(): Promise<number> {
    return readChangeCounter(this.#db.prisma, 'clients');
  }

  async list(): Promise<RegisteredClient[]> {
    const rows = await this.#db.prisma.client.findMany({ orderBy: { id: 'asc' } });
    return rows.map(toRegisteredClient);
  }

  async create(client: RegisteredClient, actor: string, now: number): Promise<RegisteredClient> {
    return this.#db.prisma.$transaction(async (tx) => {
      if (await tx.client.findUnique({ where: { id: client.clientId } })) {
        throw new StoreError(
          'conflict',
          `a client with client_id ${client.clientId} already exists`,
        );
      }
      const row = await tx.client.create({
        data: { id: client.clientId, ...clientColumns(client), createdAt: new Date(now) },
      });
      await tx.auditEvent.create({
        data: auditRow({ type: 'client.created', actor, clientId: row.id }, now),
      });
      await countChange(tx, 'clients');
      return toRegisteredClient(row);
    });
  }

  /**
   * Replaces a client's metadata in place: the row stays, so its consents, codes and token
   * families stay too. `client.secretHash` is stored as given (the caller passes the stored one
   * to keep the secret).
   */
  async update(
    client: RegisteredClient,
    actor: string,
    changed: readonly string[],
    now: number,
  ): Promise<RegisteredClient> {
    return this.#db.prisma.$transaction(async (tx) => {
      if (!(await tx.client.findUnique({ where: { id: client.clientId } }))) {
        throw new StoreError('not_found', `no client with client_id ${client.clientId}`);
      }
      const row = await tx.client.update({
        where: { id: client.clientId },
        data: clientColumns(client),
      });
      await tx.auditEvent.create({
        data: auditRow({ type: 'client.updated', actor, clientId: row.id, data: { changed } }, now),
      });
      await countChange(tx, 'clients');
      return toRegisteredClient(row);
    });
  }

  /** Deletes the client with its consents, codes and token families (cascade). */
  async remove(clientId: string, actor: string, now: number): Promise<void> {
    await this.#db.prisma.$transaction(async (tx) => {
      const { count } = await tx.client.deleteMany({ where: { id: clientId } });
      if (count === 0) throw new StoreError('not_found', `no client with client_id ${clientId}`);
      await tx.auditEvent.create({
        data: auditRow({ type: 'client.removed', actor, clientId }, now),
      });
      await countChange(tx, 'clients');
    });
  }

  /**
   * Inserts or replaces a client known by its metadata document, stamped with the fetch time.
   * No change count: such clients are resolved by their document, not through the client cache.
   */
  async saveMetadataDocumentClient(client: RegisteredClient, now: number): Promise<void> {
    const columns = { ...clientColumns(client), metadataDocumentFetchedAt: new Date(now) };
    await this.#db.prisma.$transaction(async (tx) => {
      const existing = await tx.client.findUnique({ where: { id: client.clientId } });
      if (existing && existing.metadataDocumentFetchedAt === null)
        throw new StoreError('conflict', `a registered client has client_id ${client.clientId}`);
      const changed =
        !existing ||
        JSON.stringify(clientColumns(toRegisteredClient(existing))) !==
          JSON.stringify(clientColumns(client));
      if (existing) {
        await tx.client.update({ where: { id: client.clientId }, data: columns });
      } else {
        await tx.client.create({
          data: { id: client.clientId, ...columns, createdAt: new Date(now) },
        });
      }
      if (changed)
        await tx.auditEvent.create({
          data: auditRow(
            {
              type: 'client.metadata_document',
              actor: client.clientId,
              clientId: client.clientId,
              data: { created: !existing },
            },
            now,
          ),
        });
    });
  }

  async setSecretHash(
    clientId: string,
    secretHash: string,
    actor: string,
    now: number,
  ): Promise<void> {
    await this.#db.prisma.$transaction(async (tx) => {
      const { count } = await tx.client.updateMany({
        where: { id: clientId },
        data: { secretHash, secretRotatedAt: new Date(now) },
      });
      if (count === 0) throw new StoreError('not_found', `no client with client_id ${clientId}`);
      await tx.auditEvent.create({
        data: auditRow({ type: 'client.secret_rotated', actor, clientId }, now),
      });
      await countChange(tx, 'clients');
    });
  }
}
