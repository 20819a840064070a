import {
  auditActor,
  StoreError,
  type AuditRecord,
  type ClientChangeActor,
  type ClientStore,
  type PageQuery,
  type RegisteredClient,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import {
  audit,
  canMatchStoredText,
  clientColumns,
  clients,
  isUniqueViolation,
  toRegisteredClient,
} from './rows.js';
import { pageWhere } from './page-filter.js';

/**
 * Counts a change to the clients, in the transaction that makes it, so that an instance seeing the
 * new count also sees the change (instances that cache clients poll it). An upsert, so a database
 * whose row was removed by hand still counts instead of failing the change.
 */
export async function countClientChange(tx: Pick<Prisma.TransactionClient, 'changeCounter'>) {
  await tx.changeCounter.upsert({
    where: { name: 'clients' },
    create: { name: 'clients', value: 1 },
    update: { value: { increment: 1 } },
  });
}

/** Refuses a client_id that is taken, in the transaction that would take it. */
export async function assertNewClient(tx: Prisma.TransactionClient, clientId: string) {
  if (await tx.client.findUnique({ where: { id: clientId } })) throw taken(clientId);
}

/** `change`, its audit event and the change count, in one transaction. */
export function changeClients<T>(
  db: Database,
  event: AuditRecord,
  now: number,
  change: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return db.prisma.$transaction(async (tx) => {
    const result = await change(tx);
    await audit(tx, event, now);
    await countClientChange(tx);
    return result;
  });
}

const taken = (clientId: string) =>
  new StoreError('conflict', `a client with client_id ${clientId} already exists`);

const notFound = (clientId: string) =>
  new StoreError('not_found', `no client with client_id ${clientId}`);

/** Registered clients (relying parties and resource servers). */
export class ClientRepository implements ClientStore {
  constructor(private readonly db: Database) {}

  async findById(clientId: string): Promise<RegisteredClient | null> {
    if (!canMatchStoredText(clientId)) return null;
    const row = await this.db.prisma.client.findUnique({ where: { id: clientId } });
    return row && toRegisteredClient(row);
  }

  /** A number that moves with every change to the clients (0 before the first). */
  async changeCount(): Promise<number> {
    const row = await this.db.prisma.changeCounter.findUnique({ where: { name: 'clients' } });
    return row?.value ?? 0;
  }

  async list(): Promise<RegisteredClient[]> {
    const rows = await this.db.prisma.client.findMany({ orderBy: { id: 'asc' } });
    return rows.map(toRegisteredClient);
  }

  /** The page's ids by raw SQL (a case-insensitive search on both databases), then the rows. */
  async page(query: PageQuery): Promise<RegisteredClient[]> {
    if (!canMatchStoredText(`${query.after ?? ''}${query.search ?? ''}`)) return [];
    const ids = await this.db.sql.query<{ id: string }>(
      Prisma.sql`SELECT "id" FROM "Client" ${pageWhere(query, 'id', ['id', 'name'])} ORDER BY "id" LIMIT ${query.limit}`,
    );
    if (ids.length === 0) return [];
    const rows = await this.db.prisma.client.findMany({
      where: { id: { in: ids.map((row) => row.id) } },
      orderBy: { id: 'asc' },
    });
    return rows.map(toRegisteredClient);
  }

  async create(client: RegisteredClient, actor: string, now: number): Promise<RegisteredClient> {
    const { clientId } = client;
    return changeClients(this.db, { type: 'client.created', actor, clientId }, now, async (tx) => {
      await assertNewClient(tx, clientId);
      const data = { ...clients.write(client), createdAt: new Date(now) };
      return toRegisteredClient(await tx.client.create({ data }));
    }).catch((error: unknown) => {
      throw isUniqueViolation(error) ? taken(clientId) : error;
    });
  }

  /**
   * Replaces a client's metadata in place: the row stays, so its consents, codes and token
   * families stay too. `client.secretHash` is stored as given (the caller passes the stored one
   * to keep the secret).
   */
  async update(
    client: RegisteredClient,
    by: ClientChangeActor,
    changed: readonly string[],
    now: number,
  ) {
    const { clientId } = client;
    const audit = { type: 'client.updated', ...auditActor(by), clientId, data: { changed } };
    return changeClients(this.db, audit, now, async (tx) => {
      if (!(await tx.client.findUnique({ where: { id: clientId } }))) throw notFound(clientId);
      const row = await tx.client.update({ where: { id: clientId }, data: clientColumns(client) });
      return toRegisteredClient(row);
    });
  }

  /** Deletes the client with its consents, codes and token families (cascade). */
  async remove(clientId: string, by: ClientChangeActor, now: number): Promise<void> {
    const audit = { type: 'client.removed', ...auditActor(by), clientId };
    await changeClients(this.db, audit, now, async (tx) => {
      const { count } = await tx.client.deleteMany({ where: { id: clientId } });
      if (count === 0) throw notFound(clientId);
    });
  }

  /**
   * Inserts or replaces a client known by its metadata document, stamped with the fetch time.
   * No change count: such clients are resolved by their document, not through the client cache.
   */
  async saveMetadataDocumentClient(client: RegisteredClient, now: number): Promise<void> {
    const { clientId } = client;
    const columns = { ...clientColumns(client), metadataDocumentFetchedAt: new Date(now) };
    await this.db.prisma.$transaction(async (tx) => {
      const existing = await tx.client.findUnique({ where: { id: clientId } });
      if (existing && existing.metadataDocumentFetchedAt === null)
        throw new StoreError('conflict', `a registered client has client_id ${clientId}`);
      const before = existing && JSON.stringify(clientColumns(toRegisteredClient(existing)));
      await tx.client.upsert({
        where: { id: clientId },
        create: { id: clientId, ...columns, createdAt: new Date(now) },
        update: columns,
      });
      if (before !== JSON.stringify(clientColumns(client))) {
        const event = { type: 'client.metadata_document', actor: clientId, clientId };
        await audit(tx, { ...event, data: { created: !existing } }, now);
      }
    });
  }

  async setSecretHash(clientId: string, secretHash: string, actor: string, now: number) {
    const event = { type: 'client.secret_rotated', actor, clientId };
    await changeClients(this.db, event, now, async (tx) => {
      const data = { secretHash, secretRotatedAt: new Date(now) };
      const { count } = await tx.client.updateMany({ where: { id: clientId }, data });
      if (count === 0) throw notFound(clientId);
    });
  }
}
