import type {
  AuditRecord,
  NewRefreshToken,
  RegisteredClient,
  TokenFamilyRecord,
  UserAccount,
} from '@idp/oidc';
import { randomUUID } from 'node:crypto';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';

/*
 * Rows and the ports' records. A table's `Table` says, field by field, how a record is stored:
 * times as DateTime, lists and claim sets as JSON text, a scope as its words (SQLite has no
 * arrays). `$queryRaw` types a table's columns as the models do (DateTime as Date, Boolean as
 * boolean), so raw rows and model rows read alike. A raw statement aliases every column
 * `<table alias>_<column>` (both tables of a join have an `id`); statements name their columns
 * rather than select `*`, so a migration adding a column under a running server changes nothing.
 *
 * A new store is its `table(...)` and the port's methods on it, through the model API or, on a
 * request's path, `db.sql` with `select`/`read`/`insert`: pushed-request-repository.ts is one.
 */

/**
 * Whether a write lost a race for a unique key (Prisma's P2002). A check-then-insert in one
 * transaction does not stop two concurrent transactions on PostgreSQL (read committed) from both
 * seeing nothing, so the loser's insert fails here and callers report it as the conflict it is.
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** How a field is stored: as is (undefined as null), Date, JSON (null as NULL), list, words, flag, BigInt. */
type Kind = 'value' | 'time' | 'json' | 'list' | 'words' | 'flag' | 'bigint';
const READ: Record<Kind, (value: unknown) => unknown> = {
  value: (v) => v,
  bigint: (v) => Number(v),
  time: (v) => (v === null ? null : (v as Date).getTime()),
  json: (v) => (v === null ? null : JSON.parse(v as string)),
  list: (v) => JSON.parse(v as string),
  words: (v) => words(v as string),
  flag: (v) => v,
};
const absent = (v: unknown) => v === null || v === undefined;
const WRITE: Record<Kind, (value: unknown) => unknown> = {
  value: (v) => v ?? null,
  bigint: (v) => BigInt(v as number),
  time: (v) => (absent(v) ? null : new Date(v as number)),
  json: (v) => (absent(v) ? null : JSON.stringify(v)),
  list: (v) => JSON.stringify(v ?? []),
  words: (v) => (v as string[]).join(' '),
  flag: (v) => v ?? false,
};

/** Each field of a record: its kind, and its column where the name differs. The first is the key. */
type Fields<R> = { readonly [K in keyof R]-?: Kind | readonly [Kind, string] };

/** A table's records as rows and statements; `Columns` types `write` for the model API. */
export interface Table<R, Columns = Record<string, unknown>> {
  /** `alias."column" AS "alias_column", …` for a raw statement naming the table `alias`. */
  select(alias: string): Prisma.Sql;
  /** The record of a model row, or of `alias`'s columns in a raw row; null when there is none. */
  read(row: object | null | undefined, alias?: string): R | null;
  /** Every field's column value. */
  write(record: R): Columns;
  /** `INSERT INTO … SELECT <values>` (no FROM, for claimThenInsert), with `extra` columns. */
  insert(record: R, extra?: Record<string, unknown>): Prisma.Sql;
}

export function table<R, Columns = Record<string, unknown>>(
  name: string,
  fields: Fields<R>,
): Table<R, Columns> {
  const list = Object.entries<Kind | readonly [Kind, string]>(fields).map(([field, spec]) => {
    const [kind, column] = typeof spec === 'string' ? [spec, field] : spec;
    return { field, kind, column };
  });
  const write = (record: R) =>
    Object.fromEntries(
      list.map((f) => [f.column, WRITE[f.kind]((record as Record<string, unknown>)[f.field])]),
    );
  return {
    select: (alias) =>
      Prisma.raw(list.map((f) => `${alias}."${f.column}" AS "${alias}_${f.column}"`).join(', ')),
    read(row, alias) {
      const r = row as Record<string, unknown> | undefined;
      const prefix = alias === undefined ? '' : `${alias}_`;
      if (absent(r?.[`${prefix}${list[0]!.column}`])) return null;
      return Object.fromEntries(
        list.map((f) => [f.field, READ[f.kind](r[prefix + f.column])]),
      ) as R;
    },
    write: (record) => write(record) as Columns,
    insert(record, extra = {}) {
      const columns = { ...write(record), ...extra };
      const names = Object.keys(columns).map((column) => `"${column}"`);
      return Prisma.sql`INSERT INTO ${Prisma.raw(`"${name}" (${names.join(', ')})`)}
        SELECT ${Prisma.join(Object.values(columns))}`;
    },
  };
}

/** A scope (space-separated words) as a list. */
export const words = (text: string | null | undefined): string[] =>
  text?.split(' ').filter(Boolean) ?? [];

/**
 * Whether a lookup key can match a stored row at all. PostgreSQL's text cannot hold a NUL and
 * refuses a parameter that has one (an error where the caller expects a miss), so a key with a NUL,
 * which anyone can send as a client_id, a username or a token's claim, is not found, without a
 * query, on both databases alike.
 */
export const canMatchStoredText = (key: string): boolean => !key.includes('\u0000');

export const users = table<UserAccount>('User', {
  ...{ id: 'value', email: 'value', passwordHash: 'value', disabled: 'value' },
  ...{ admin: 'value', claims: 'json', createdAt: 'time' },
});
/** A UserAccount of a model row (the row is there). */
export const toUserAccount = (row: object): UserAccount => users.read(row)!;

// Not stored: the row's origin, and what the server's policy says of it at lookup.
type ClientFields = Omit<
  RegisteredClient,
  'metadataDocument' | 'resourcePolicy' | 'selfRegistered'
>;
type ClientColumns = Omit<Prisma.ClientUncheckedCreateInput, 'createdAt'>;
export const clients = table<ClientFields, ClientColumns>('Client', {
  ...{ clientId: ['value', 'id'], clientName: ['value', 'name'], secretHash: 'value' },
  ...{ tokenEndpointAuthMethod: 'value', redirectUris: 'list', postLogoutRedirectUris: 'list' },
  ...{ grantTypes: 'list', responseTypes: 'list', scopes: ['words', 'scope'] },
  ...{ resources: ['list', 'audiences'], firstParty: 'value', requirePkce: 'value' },
  ...{ idTokenSignedResponseAlg: 'value', jwks: 'json', jwksUri: 'value' },
  ...{ tokenEndpointAuthSigningAlg: 'value', requestObjectSigningAlg: 'value' },
  ...{ requirePushedAuthorizationRequests: 'value', dpopBoundAccessTokens: 'value' },
  ...{ securityProfile: 'value', backchannelLogoutUri: 'value' },
  ...{ backchannelLogoutSessionRequired: 'flag', frontchannelLogoutUri: 'value' },
  ...{ frontchannelLogoutSessionRequired: 'flag', defaultAcrValues: 'list', requireMfa: 'flag' },
  userinfoSignedResponseAlg: 'value',
});
/** The columns of a client but its id, for updates (create takes `clients.write`). */
export function clientColumns(client: RegisteredClient): Omit<ClientColumns, 'id'> {
  const columns: Partial<ClientColumns> = clients.write(client);
  delete columns.id;
  return columns as Omit<ClientColumns, 'id'>;
}
export function toRegisteredClient(row: {
  metadataDocumentFetchedAt: Date | null;
}): RegisteredClient {
  const client = clients.read(row)!;
  return row.metadataDocumentFetchedAt === null ? client : { ...client, metadataDocument: true };
}

export const families = table<Required<TokenFamilyRecord>>('TokenFamily', {
  ...{ id: 'value', clientId: 'value', userId: 'value', sessionId: 'value' },
  ...{ scopes: ['words', 'scope'], claims: 'json', authTime: 'time', amr: 'list', acr: 'value' },
  ...{ offlineAccess: 'value', resources: 'list', createdAt: 'time', expiresAt: 'time' },
  revokedAt: 'time',
});
/** A family of a model row or of a raw row's `f_` columns; no `resources` when none were granted. */
export function toFamilyRecord(
  row: object | null | undefined,
  alias?: string,
): TokenFamilyRecord | null {
  const family = families.read(row, alias);
  if (family === null) return null;
  const { resources, ...rest } = family;
  return resources.length > 0 ? family : rest;
}

const refreshTokens = table<NewRefreshToken>('RefreshToken', {
  ...{ id: 'value', familyId: 'value', tokenHash: 'value', expiresAt: 'time' },
});

/** The inserts that start a family (a code's or a device's redemption) at `at`. */
export function startFamily(
  family: TokenFamilyRecord,
  refreshToken: NewRefreshToken | null,
  at: number,
): [Prisma.Sql, ...Prisma.Sql[]] {
  const first = families.insert(family as Required<TokenFamilyRecord>);
  return refreshToken ? [first, insertRefreshToken(refreshToken, at)] : [first];
}

/** A refresh token as an `INSERT … SELECT <values>`, created at `at`. */
export const insertRefreshToken = (token: NewRefreshToken, at: number) =>
  refreshTokens.insert(token, { createdAt: new Date(at) });

/** Row values for an audit record made at `at` (ms). */
function auditRow(record: AuditRecord, at: number) {
  const { type, actor = null, userId = null, clientId = null, ip = null } = record;
  const data = JSON.stringify(record.data ?? {});
  return { id: randomUUID(), type, at: new Date(at), actor, userId, clientId, ip, data };
}

/** An audit row as an `INSERT … SELECT <values>`, to record a write in its own transaction. */
export function insertAudit(record: AuditRecord, at: number): Prisma.Sql {
  const row = auditRow(record, at);
  return Prisma.sql`INSERT INTO "AuditEvent" ("id", "type", "at", "actor", "userId", "clientId", "ip", "data")
    SELECT ${Prisma.join(Object.values(row))}`;
}

/** Records `record` in the transaction `tx`, which makes the change it tells of. */
export async function audit(
  tx: Pick<Prisma.TransactionClient, 'auditEvent'>,
  record: AuditRecord,
  at: number,
): Promise<void> {
  await tx.auditEvent.create({ data: auditRow(record, at) });
}

/** An event about `userId`, made by `by.actor` or else the user, from `by.ip`. */
export function userEvent(
  type: string,
  userId: string,
  by: { readonly actor?: string; readonly ip?: string },
  data?: Record<string, unknown>,
): AuditRecord {
  return { type, actor: by.actor ?? userId, userId, ip: by.ip, data };
}

/**
 * Runs `change` in a transaction with the audit event it answers; `false` when it answers none
 * (it changed nothing, so nothing is recorded).
 */
export function auditedChange(
  db: Database,
  now: number,
  change: (tx: Prisma.TransactionClient) => Promise<AuditRecord | false>,
): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    const event = await change(tx);
    if (event) await audit(tx, event, now);
    return event !== false;
  });
}
