import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../../src/open-database.js';

/**
 * The schema of a database as sorted, self-describing lines ("User.email TEXT NOT NULL", ...):
 * tables, columns (type, nullability, default, primary key), indexes (uniqueness, columns) and
 * foreign keys (columns, target, actions). Column order and the migration history table are left
 * out: Prisma's migrations do not keep the first and the models know nothing of the second.
 */
export async function readSchemaCatalog(url: string): Promise<string[]> {
  const location = parseDatabaseUrl(url, process.cwd());
  const lines =
    location.provider === 'sqlite'
      ? readSqliteCatalog(location.filename)
      : await readPostgresCatalog(location.connectionString);
  return lines.sort();
}

const HISTORY_TABLE = '_prisma_migrations';

function readSqliteCatalog(filename: string): string[] {
  const db = new BetterSqlite3(filename, { readonly: true });
  try {
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?`,
      )
      .pluck()
      .all(HISTORY_TABLE) as string[];
    return tables.flatMap((table) => {
      const quoted = `"${table.replace(/"/g, '""')}"`;
      const columns = db.pragma(`table_info(${quoted})`) as Array<{
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        pk: number;
      }>;
      const indexes = db.pragma(`index_list(${quoted})`) as Array<{ name: string; unique: number }>;
      const foreignKeys = db.pragma(`foreign_key_list(${quoted})`) as Array<{
        id: number;
        table: string;
        from: string;
        to: string;
        on_update: string;
        on_delete: string;
      }>;
      const keyIds = [...new Set(foreignKeys.map((key) => key.id))];
      return [
        `table ${table}`,
        ...columns.map(
          (c) =>
            `${table}.${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}` +
            `${c.dflt_value === null ? '' : ` DEFAULT ${c.dflt_value}`}${c.pk ? ` PRIMARY KEY(${c.pk})` : ''}`,
        ),
        ...indexes.map((index) => {
          const names = (db.pragma(`index_info("${index.name}")`) as Array<{ name: string }>).map(
            (c) => c.name,
          );
          return `${table} ${index.unique ? 'UNIQUE ' : ''}INDEX ${index.name} (${names.join(', ')})`;
        }),
        ...keyIds.map((id) => {
          const parts = foreignKeys.filter((key) => key.id === id);
          const first = parts[0]!;
          return (
            `${table} FOREIGN KEY (${parts.map((p) => p.from).join(', ')}) REFERENCES ${first.table}` +
            `(${parts.map((p) => p.to).join(', ')}) ON DELETE ${first.on_delete} ON UPDATE ${first.on_update}`
          );
        }),
      ];
    });
  } finally {
    db.close();
  }
}

async function readPostgresCatalog(connectionString: string): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const query = async (sql: string) =>
      (await client.query<{ line: string }>(sql, [HISTORY_TABLE])).rows;
    const rows = [
      ...(await query(`
        SELECT 'table ' || c.relname AS line FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname <> $1`)),
      ...(await query(`
        SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
          || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
          || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname <> $1
          AND a.attnum > 0 AND NOT a.attisdropped`)),
      // The definitions name the index or constraint, its uniqueness, columns and actions.
      ...(await query(`
        SELECT c.relname || ' ' || pg_get_indexdef(i.indexrelid) AS line
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE c.relnamespace = 'public'::regnamespace AND c.relname <> $1`)),
      ...(await query(`
        SELECT c.relname || ' CONSTRAINT ' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE c.relnamespace = 'public'::regnamespace AND c.relname <> $1`)),
    ];
    return rows.map((row) => row.line);
  } finally {
    await client.end();
  }
}
