import type { RegisteredClient } from '../clients/registered-client.js';
import type {
  ClientRegistrationRecord,
  ClientRegistrationStore,
  InitialAccessTokenRecord,
  RegistrationActor,
} from '../ports/client-registration-store.js';
import { StoreError } from '../ports/store-error.js';
import type { MemoryTables } from './memory-tables.js';

/** The reference `ClientRegistrationStore`, on shared in-memory tables. */
export class MemoryClientRegistrationStore implements ClientRegistrationStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async issueInitialAccessToken(
    record: InitialAccessTokenRecord,
    actor: string,
    now: number,
  ): Promise<void> {
    this.#tables.initialAccessTokens.set(record.tokenHash, {
      uses: record.uses,
      expiresAt: record.expiresAt,
    });
    this.#tables.recordAudit(
      {
        type: 'registration.initial_token_issued',
        actor,
        data: { uses: record.uses, expiresAt: new Date(record.expiresAt).toISOString() },
      },
      now,
    );
  }

  async spendInitialAccessToken(tokenHash: string, now: number): Promise<boolean> {
    const token = this.#tables.initialAccessTokens.get(tokenHash);
    if (!token || token.uses < 1 || token.expiresAt <= now) return false;
    this.#tables.initialAccessTokens.set(tokenHash, { ...token, uses: token.uses - 1 });
    return true;
  }

  async register(
    client: RegisteredClient,
    tokenHash: string,
    by: RegistrationActor,
    now: number,
  ): Promise<RegisteredClient> {
    const tables = this.#tables;
    if (tables.clients.has(client.clientId))
      throw new StoreError('conflict', `a client with client_id ${client.clientId} already exists`);
    const stored = structuredClone(client);
    tables.clients.set(client.clientId, stored);
    tables.clientRegistrations.set(client.clientId, {
      clientId: client.clientId,
      tokenHash,
      issuedAt: now,
    });
    tables.recordAudit(
      { type: 'client.registered', actor: by.actor, ip: by.ip, clientId: client.clientId },
      now,
    );
    tables.clientChanges += 1;
    return stored;
  }

  async findRegistration(clientId: string): Promise<ClientRegistrationRecord | null> {
    return this.#tables.clientRegistrations.get(clientId) ?? null;
  }
}
