import type {
  ClientRegistrationRecord,
  ClientRegistrationStore,
  InitialAccessTokenRecord,
  RegisteredClient,
  RegistrationActor,
} from '@idp/oidc';
import type { Database } from '../database.js';
import { assertNewClient, changeClients } from './client-repository.js';
import { audit, canMatchStoredText, clients, toRegisteredClient } from './rows.js';

/**
 * Dynamic client registration (RFC 7591, RFC 7592): initial access tokens and each registered
 * client's registration access token, by SHA-256. A registration is rare; spending a token is
 * one conditional update, so that concurrent registrations never overspend it.
 */
export class ClientRegistrationRepository implements ClientRegistrationStore {
  constructor(private readonly db: Database) {}

  async issueInitialAccessToken(
    record: InitialAccessTokenRecord,
    actor: string,
    now: number,
  ): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      await tx.initialAccessToken.create({
        data: {
          id: record.tokenHash,
          usesLeft: record.uses,
          createdAt: new Date(now),
          expiresAt: new Date(record.expiresAt),
        },
      });
      const data = { uses: record.uses, expiresAt: new Date(record.expiresAt).toISOString() };
      await audit(tx, { type: 'registration.initial_token_issued', actor, data }, now);
    });
  }

  async spendInitialAccessToken(tokenHash: string, now: number): Promise<boolean> {
    if (!canMatchStoredText(tokenHash)) return false;
    const { count } = await this.db.prisma.initialAccessToken.updateMany({
      where: { id: tokenHash, usesLeft: { gt: 0 }, expiresAt: { gt: new Date(now) } },
      data: { usesLeft: { decrement: 1 } },
    });
    return count === 1;
  }

  async register(
    client: RegisteredClient,
    tokenHash: string,
    by: RegistrationActor,
    now: number,
  ): Promise<RegisteredClient> {
    const { clientId } = client;
    const event = { type: 'client.registered', actor: by.actor, ip: by.ip, clientId };
    return changeClients(this.db, event, now, async (tx) => {
      await assertNewClient(tx, clientId);
      const createdAt = new Date(now);
      const row = await tx.client.create({ data: { ...clients.write(client), createdAt } });
      await tx.clientRegistration.create({ data: { clientId, tokenHash, createdAt } });
      return toRegisteredClient(row);
    });
  }

  async findRegistration(clientId: string): Promise<ClientRegistrationRecord | null> {
    if (!canMatchStoredText(clientId)) return null;
    const row = await this.db.prisma.clientRegistration.findUnique({ where: { clientId } });
    return (
      row && { clientId: row.clientId, tokenHash: row.tokenHash, issuedAt: row.createdAt.getTime() }
    );
  }
}
