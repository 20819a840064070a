import { isDeepStrictEqual } from 'node:util';
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
  readonly clients: {
    readonly created: string[];
    readonly updated: string[];
    /** Clients the seed describes as they are stored: nothing was written for them. */
    readonly unchanged: string[];
  };
  readonly users: {
    readonly created: string[];
    readonly updated: string[];
    /** Users the seed describes as they are stored: nothing was written for them. */
    readonly unchanged: string[];
    /** Users whose password changed or who were disabled: their sessions and tokens ended. */
    readonly signedOut: string[];
  };
  /** The sessions those changes ended, for back-channel logout. */
  readonly endedSessions: EndedSession[];
}

/**
 * Upserts a seed in one transaction: clients by client_id, users by email. Re-importing the same
 * seed leaves the same state, so the file can be applied at every deploy: an entry that matches
 * its row is left alone (no write, no audit event, no client change counted, so running servers
 * do not reload their clients), and a seed that changes nothing writes nothing. A new password or
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
    const clients = { created: [] as string[], updated: [] as string[], unchanged: [] as string[] };
    for (const client of seed.clients) {
      const { clientId: id } = client;
      const existing = await tx.client.findUnique({ where: { id } });
      const keepSecret =
        client.secretHash === null && usesClientSecret(client.tokenEndpointAuthMethod);
      const columns = clientColumns(client);
      if (existing && keepSecret) columns.secretHash = existing.secretHash;
      if (existing && sameColumns(existing, columns)) {
        clients.unchanged.push(id);
        continue;
      }
      await tx.client.upsert({
        where: { id },
        create: { id, ...columns, createdAt: at },
        update: columns,
      });
      (existing ? clients.updated : clients.created).push(id);
    }
    if (clients.created.length + clients.updated.length > 0) await countClientChange(tx);
    const users = {
      created: [] as string[],
      updated: [] as string[],
      unchanged: [] as string[],
      signedOut: [] as string[],
    };
    const endedSessions: EndedSession[] = [];
    for (const user of seed.users) {
      const email = user.email.toLowerCase();
      const { id, passwordHash, disabled } = user;
      const existing = await tx.user.findUnique({ where: { email } });
      const data = { disabled, claims: JSON.stringify(seedClaims(user.claims, existing?.claims)) };
      if (!existing) {
        if (passwordHash === null)
          throw new Error(`seed user ${email} is new: it needs a password`);
        await tx.user.create({ data: { id, email, passwordHash, ...data, createdAt: at } });
        users.created.push(email);
        continue;
      }
      if (
        passwordHash === null &&
        disabled === existing.disabled &&
        isDeepStrictEqual(JSON.parse(existing.claims), JSON.parse(data.claims))
      ) {
        users.unchanged.push(email);
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
    const written = [clients.created, clients.updated, users.created, users.updated];
    if (written.some((list) => list.length > 0)) {
      const counts = { clients: seed.clients.length, users: seed.users.length };
      await audit(tx, { type: 'seed.imported', actor, data: counts }, now);
    }
    return { clients, users, endedSessions };
  });
}

/** Whether every column the seed sets already holds that value (all are strings, flags or null). */
function sameColumns(row: object, columns: object): boolean {
  const stored = row as Record<string, unknown>;
  return Object.entries(columns).every(([column, value]) => stored[column] === value);
}

/**
 * The claims a seed stores. `email_verified` records a mailbox the server saw confirmed (the
 * verification link), which a seed exported before that cannot know: a seed that does not state
 * it keeps the stored value. Every other claim is the seed's.
 */
function seedClaims(claims: SeedData['users'][number]['claims'], stored: string | undefined) {
  if (stored === undefined || 'email_verified' in claims) return claims;
  const { email_verified } = JSON.parse(stored) as { email_verified?: boolean };
  return email_verified === undefined ? claims : { ...claims, email_verified };
}
