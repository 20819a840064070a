import { usesClientSecret, type RegisteredClient, type UserAccount } from '@idp/oidc';
import type { Database } from '../database.js';
import { countClientChange } from './client-repository.js';
import { audit, clientColumns } from './rows.js';

/** A validated seed, secrets already hashed. */
export interface SeedData {
  /** `secretHash: null` on a client that uses a secret means "keep the stored secret". */
  readonly clients: readonly RegisteredClient[];
  readonly users: ReadonlyArray<Omit<UserAccount, 'admin' | 'createdAt'>>;
}

export interface SeedResult {
  readonly clients: { readonly created: string[]; readonly updated: string[] };
  readonly users: { readonly created: string[]; readonly updated: string[] };
}

/**
 * Upserts a seed in one transaction: clients by client_id, users by email. Re-importing the same
 * seed leaves the same state, so the file can be applied at every deploy.
 */
export async function importSeed(
  db: Database,
  seed: SeedData,
  actor: string,
  now: number,
): Promise<SeedResult> {
  const createdAt = new Date(now);
  return db.prisma.$transaction(async (tx) => {
    const clients = { created: [] as string[], updated: [] as string[] };
    for (const client of seed.clients) {
      const { clientId: id } = client;
      const existing = await tx.client.findUnique({ where: { id } });
      const keepSecret =
        client.secretHash === null && usesClientSecret(client.tokenEndpointAuthMethod);
      const columns = clientColumns(client);
      if (existing && keepSecret) columns.secretHash = existing.secretHash;
      await tx.client.upsert({
        where: { id },
        create: { id, ...columns, createdAt },
        update: columns,
      });
      (existing ? clients.updated : clients.created).push(id);
    }
    if (seed.clients.length > 0) await countClientChange(tx);
    const users = { created: [] as string[], updated: [] as string[] };
    for (const user of seed.users) {
      const email = user.email.toLowerCase();
      const { id, passwordHash, disabled } = user;
      const data = { passwordHash, disabled, claims: JSON.stringify(user.claims) };
      const existing = await tx.user.findUnique({ where: { email } });
      await tx.user.upsert({
        where: { email },
        create: { id, email, ...data, createdAt },
        update: data,
      });
      (existing ? users.updated : users.created).push(email);
    }
    const counts = { clients: seed.clients.length, users: seed.users.length };
    await audit(tx, { type: 'seed.imported', actor, data: counts }, now);
    return { clients, users };
  });
}
