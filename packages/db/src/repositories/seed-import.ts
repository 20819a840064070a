import {
  usesClientSecret,
  type EndedSession,
  type RegisteredClient,
  type UserAccount,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { countClientChange } from './client-repository.js';
import { audit, clientColumns } from './rows.js';
import { signOutUser } from './session-repository.js';

/** A validated seed, secrets already hashed. */
export interface SeedData {
  /** `secretHash: null` on a client that uses a secret means "keep the stored secret". */
  readonly clients: readonly RegisteredClient[];
  readonly users: ReadonlyArray<
    Omit<UserAccount, 'admin' | 'createdAt' | 'passwordHash'> & {
      /** `null` keeps the stored password (the seed names the one the user has); never on a new user. */
      readonly passwordHash: string | null;
    }
  >;
}

export interface SeedResult {
  readonly clients: { readonly created: string[]; readonly updated: string[] };
  readonly users: {
    readonly created: string[];
    readonly updated: string[];
    /** Users whose password changed or who were disabled: their sessions and tokens ended. */
    readonly signedOut: string[];
  };
  /** The sessions those changes ended, for back-channel logout. */
  readonly endedSessions: EndedSession[];
}

/**
 * Upserts a seed in one transaction: clients by client_id, users by email. Re-importing the same
 * seed leaves the same state, so the file can be applied at every deploy. A new password or
 * disabling ends the user's sessions and revokes their token families, as `setPasswordHash` and
 * `setDisabled` of the user repository do: whoever held the old credentials keeps no way in.
 * Each of those changes, and re-enabling, writes the audit event those methods write.
 */
export async function importSeed(
  db: Database,
  seed: SeedData,
  actor: string,
  now: number,
): Promise<SeedResult> {
  const at = new Date(now);
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
        create: { id, ...columns, createdAt: at },
        update: columns,
      });
      (existing ? clients.updated : clients.created).push(id);
    }
    if (seed.clients.length > 0) await countClientChange(tx);
    const users = { created: [] as string[], updated: [] as string[], signedOut: [] as string[] };
    const endedSessions: EndedSession[] = [];
    for (const user of seed.users) {
      const email = user.email.toLowerCase();
      const { id, passwordHash, disabled } = user;
      const existing = await tx.user.findUnique({ where: { email } });
      const data = { disabled, claims: JSON.stringify(user.claims) };
      if (!existing) {
        if (passwordHash === null)
          throw new Error(`seed user ${email} is new: it needs a password`);
        await tx.user.create({ data: { id, email, passwordHash, ...data, createdAt: at } });
        users.created.push(email);
        continue;
      }
      const password = passwordHash === null ? {} : { passwordHash, passwordChangedAt: at };
      await tx.user.update({ where: { email }, data: { ...data, ...password } });
      users.updated.push(email);
      // Enabling ends nothing, but is audited as `users enable` audits it (setDisabled).
      if (!disabled && existing.disabled)
        await audit(tx, { type: 'user.enabled', actor, userId: existing.id, data: {} }, now);
      const events = [
        ...(passwordHash === null ? [] : ['user.password_changed']),
        ...(disabled && !existing.disabled ? ['user.disabled'] : []),
      ];
      if (events.length === 0) continue;
      const signedOut = await signOutUser(tx, existing.id, at, events[0]!);
      const { revokedFamilies } = signedOut;
      endedSessions.push(...signedOut.endedSessions);
      for (const type of events)
        await audit(tx, { type, actor, userId: existing.id, data: { revokedFamilies } }, now);
      users.signedOut.push(email);
    }
    const counts = { clients: seed.clients.length, users: seed.users.length };
    await audit(tx, { type: 'seed.imported', actor, data: counts }, now);
    return { clients, users, endedSessions };
  });
}
