import pg from 'pg';

/** `SELECT *` (also with ALL, DISTINCT or DISTINCT ON (…)), `RETURNING *`, or a table's `t.*`. */
const SELECTS_STAR = /\bSELECT\s+(?:ALL\s+|DISTINCT\s+(?:ON\s*\([^)]*\)\s*)?)?\*|\bRETURNING\s+\*|[\w"]\.\*/i;

/** Distinct SQL texts a PostgreSQL connection keeps prepared; past this, further texts run unnamed. */
export const POSTGRES_PREPARED_STATEMENT_LIMIT = 256;

/**
 * The per-request statements (adapter-sql.ts) as PostgreSQL prepared statements, parsed and
 * planned once per pooled connection instead of on every call.
 *
 * Why: Prisma's pg adapter sends every query unnamed, so the server parses and plans it each
 * time. For the introspection lookup (one SELECT with two LEFT JOINs) that was 184-220 µs of
 * backend CPU per call against 56-75 µs prepared, and a round trip of 289-355 µs against 137-186
 * (`taskset -c 1 node --import tsx scripts/pg-prepared.ts` in packages/db, two machines).
 *
 * Only texts registered here are named, so Prisma's own model queries, whose texts vary with
 * their arguments, never pile up prepared statements on the server. Each connection keeps what
 * it prepared until it closes; the texts are the repositories' fixed statements, and the limit
 * keeps a future statement whose text varies from growing that without bound.
 */
export class PreparedStatementNames {
  readonly #names = new Map<string, string>();

  /**
   * Marks `text` to run prepared from now on, unless it selects `*`: a prepared statement keeps
   * the result columns it was prepared with, and once a migration adds a column while the server
   * runs (a rolling upgrade), PostgreSQL refuses to run it ("cached plan must not change result
   * type") on every connection that prepared it. Such a text keeps running unnamed.
   */
  register(text: string): void {
    if (this.#names.size >= POSTGRES_PREPARED_STATEMENT_LIMIT || this.#names.has(text) || SELECTS_STAR.test(text)) return;
    this.#names.set(text, `idp_${this.#names.size}`);
  }

  /** The statement name `text` runs under, if it was registered. */
  nameOf(text: string): string | undefined {
    return this.#names.get(text);
  }
}

/**
 * A pg client class for `pg.Pool`'s `Client` option that gives a registered text its statement
 * name; pg then prepares it on the connection's first use and only binds and executes after.
 */
export function preparingClient(names: PreparedStatementNames): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    // pg's `query` has a dozen overloads; only a config object with `text` and no name is changed.
    override query(...args: unknown[]): never {
      const [config] = args;
      if (typeof config === 'object' && config !== null && !('name' in config && config.name) && 'text' in config && typeof config.text === 'string') {
        const name = names.nameOf(config.text);
        if (name !== undefined) args[0] = { ...config, name };
      }
      return (super.query as (...a: unknown[]) => never)(...args);
    }
  };
}
