/**
 * Compile-time proof, checked by `pnpm typecheck`, that the two generated Prisma clients agree,
 * which is what lets src/database.ts type the PostgreSQL client as the SQLite one: the same
 * models, and per model the conditions of `Agreement`. When a model change makes them diverge,
 * `tsc` fails here with an error naming the disagreeing `Model.check`s.
 */
import type { Prisma as PostgresPrisma } from '../src/generated/postgres/client.js';
import type { Prisma as SqlitePrisma } from '../src/generated/sqlite/client.js';

type SqliteModels = SqlitePrisma.TypeMap['model'];
type PostgresModels = PostgresPrisma.TypeMap['model'];
type Operations<M extends keyof SqliteModels> = SqliteModels[M]['operations'];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type ArgsOf<Operation> = Operation extends { args: infer Args } ? Args : never;
type ResultOf<Operation> = Operation extends { result: infer Result } ? Result : never;

/**
 * Per model: the same row type (`$row`) and relations (`$relations`); per operation: does the
 * PostgreSQL client accept the SQLite client's arguments (PostgreSQL adds options, e.g. `mode`
 * for case-insensitive filters) and return the same result?
 */
type Agreement = {
  [M in keyof SqliteModels]: M extends keyof PostgresModels
    ? {
        $row: Same<SqliteModels[M]['payload']['scalars'], PostgresModels[M]['payload']['scalars']>;
        $relations: Same<
          keyof SqliteModels[M]['payload']['objects'],
          keyof PostgresModels[M]['payload']['objects']
        >;
      } & {
        [Op in keyof Operations<M>]: Op extends keyof PostgresModels[M]['operations']
          ? [ArgsOf<Operations<M>[Op]>] extends [ArgsOf<PostgresModels[M]['operations'][Op]>]
            ? Same<ResultOf<Operations<M>[Op]>, ResultOf<PostgresModels[M]['operations'][Op]>>
            : false
          : false;
      }
    : false;
};

/** The `Model.check` names that disagree, and models only PostgreSQL has; `never` when the clients agree. */
type Disagreements =
  | {
      [M in keyof Agreement]: Agreement[M] extends false
        ? M
        : {
            [K in keyof Agreement[M]]: Agreement[M][K] extends true
              ? never
              : `${M & string}.${K & string}`;
          }[keyof Agreement[M]];
    }[keyof Agreement]
  | Exclude<keyof PostgresModels, keyof SqliteModels>;

/** Compiles only for `never`; otherwise the error names the type, here the disagreements. */
type ExpectNone<T extends never> = T;

/** Compiles only when the clients agree. */
export type ProviderClientsAgree = ExpectNone<Disagreements>;
