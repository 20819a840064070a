import { usesClientSecret, type RegisteredClient, type StandardClaims } from '@idp/oidc';
import type { Database } from '../database.js';
import { auditRow } from './audit.js';
import { countChange } from './change-counter.js';
import { clientColumns } from './row-mappers.js';

/** A validated seed, secrets already hashed. */
export interface SeedData {
  /** `secretHash: null` on a client that uses a secret means "keep the stored secret". */
  readonly clients: readonly RegisteredClient[];
  readonly users: ReadonlyArray<{
    readonly id: string;
    readonly email: string;
    readonly passwordHash: string;
    readonly disabled: boolean;
    readonly claims: StandardClaims;
  }>;
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
  return db.prisma.$transaction(async (tx) => {
    const result: SeedResult = {
      clients: { created: [], updated: [] },
      users: { created: [], updated: [] },
    };
    for (const client of seed.clients) {
      const columns = clientColumns(client);
      const existing = await tx.client.findUnique({ where: { id: client.clientId } });
      if (existing) {
        const keepSecret =
          client.secretHash === null && usesClientSecret(client.tokenEndpointAuthMethod);
        await tx.client.update({
          where: { id: client.clientId },
          data: keepSecret ? { ...columns, secretHash: existing.secretHash } : columns,
        });
        result.clients.updated.push(client.clientId);
      } else {
        await tx.client.create({
          data: { id: client.clientId, ...columns, createdAt: new Date(now) },
        });
        result.clients.created.push(client.clientId);
      }
    }
    if (seed.clients.length > 0) await countChange(tx, 'clients');
    for (const user of seed.users) {
      const email = user.email.toLowerCase();
      const data = {
        passwordHash: user.passwordHash,
        disabled: user.disabled,
        claims: JSON.stringify(user.claims),
      };
      const existing = await tx.user.findUnique({ where: { email } });
      if (existing) {
        await tx.user.update({ where: { id: existing.id }, data });
        result.users.updated.push(email);
      } else {
        await tx.user.create({ data: { id: user.id, email, ...data, createdAt: new Date(now) } });
        result.users.created.push(email);
      }
    }
    await tx.auditEvent.create({
      data: auditRow(
        {
          type: 'seed.imported',
          actor,
          data: { clients: seed.clients.length, users: seed.users.length },
        },
        now,
      ),
    });
    return result;
  });
}
