import { ColumnTypeEnum, type ColumnType, type SqlResultSet } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';

/** A statement of `reuseStatements`' connection, as far as a read uses it (sqlite-statements.ts). */
interface ReadableStatement {
  bind(args: unknown[]): {
    readonly reader: boolean;
    run(): BetterSqlite3.RunResult;
    columns(): BetterSqlite3.ColumnDefinition[];
    raw(): { all(): unknown[] };
  };
}

/** A statement's result columns as the adapter describes them; `null` where SQLite declares no type. */
interface ResultShape {
  readonly columnNames: string[];
  readonly declaredTypes: (ColumnType | null)[];
  readonly untyped: boolean;
}

/**
 * Keyed by the column list `reuseStatements` caches once per prepared statement, so a statement's
 * shape is worked out on its first run only.
 */
const shapes = new WeakMap<readonly BetterSqlite3.ColumnDefinition[], ResultShape>();

/**
 * One SELECT (or other statement) on better-sqlite3 directly, its result exactly as Prisma's
 * better-sqlite3 adapter (6.19) returns it from `queryRaw`: the same column types (from the
 * declared types, inferred from the values where an expression has none) and the same wire form
 * of each value. `args` are already in the form the adapter binds them (`sqliteArgument`).
 *
 * Why: the adapter spends most of a small read's CPU around SQLite: a debug call, mapping every
 * argument and every declared column type anew, and converting each value through array
 * allocations (`scripts/query-layers.ts`: a SELECT by primary key 13 µs through the adapter, 4 on
 * better-sqlite3 alone). Here the shape is computed once per statement.
 */
export function readRows(client: BetterSqlite3.Database, sql: string, args: unknown[]): SqlResultSet {
  const statement = (client.prepare(sql) as unknown as ReadableStatement).bind(args);
  if (!statement.reader) {
    statement.run();
    return { columnNames: [], columnTypes: [], rows: [] };
  }
  const shape = shapeOf(statement.columns());
  const rows = statement.raw().all() as unknown[][];
  const columnTypes = shape.untyped ? inferTypes(shape.declaredTypes, rows) : (shape.declaredTypes as ColumnType[]);
  for (const row of rows) toWireForm(row, columnTypes);
  return { columnNames: shape.columnNames, columnTypes, rows };
}

function shapeOf(columns: readonly BetterSqlite3.ColumnDefinition[]): ResultShape {
  let shape = shapes.get(columns);
  if (!shape) {
    const declaredTypes = columns.map((column) => columnTypeOf(column.type));
    shape = { columnNames: columns.map((column) => column.name), declaredTypes, untyped: declaredTypes.includes(null) };
    shapes.set(columns, shape);
  }
  return shape;
}

/** The adapter's `getColumnTypes`: an untyped column takes the type of its first non-null value (Int32 if none). */
function inferTypes(declared: readonly (ColumnType | null)[], rows: readonly unknown[][]): ColumnType[] {
  return declared.map((type, index) => {
    if (type !== null) return type;
    const value = rows.find((row) => row[index] !== null)?.[index];
    switch (typeof value) {
      case 'undefined':
        return ColumnTypeEnum.Int32;
      case 'string':
        return ColumnTypeEnum.Text;
      case 'bigint':
        return ColumnTypeEnum.Int64;
      case 'number':
        return ColumnTypeEnum.UnknownNumber;
      default:
        if (value instanceof ArrayBuffer || value instanceof Buffer) return ColumnTypeEnum.Bytes;
        throw new TypeError(`unexpected value of type ${typeof value} in column ${index} of a SQLite result`);
    }
  });
}

/** The adapter's `mapRow`, in place (the row is a fresh array from better-sqlite3). */
function toWireForm(row: unknown[], columnTypes: readonly ColumnType[]): void {
  for (let index = 0; index < row.length; index += 1) {
    const value = row[index];
    if (value === null || typeof value === 'string') continue;
    const type = columnTypes[index];
    if (value instanceof ArrayBuffer || value instanceof Buffer) row[index] = Array.from(new Uint8Array(value));
    else if (typeof value === 'number' && (type === ColumnTypeEnum.Int32 || type === ColumnTypeEnum.Int64) && !Number.isInteger(value)) row[index] = Math.trunc(value);
    else if ((typeof value === 'number' || typeof value === 'bigint') && type === ColumnTypeEnum.DateTime) row[index] = new Date(Number(value)).toISOString();
    else if (typeof value === 'bigint') row[index] = value.toString();
  }
}

/** The adapter's `mapDeclType`. */
function columnTypeOf(declared: string | null): ColumnType | null {
  if (declared === null) return null;
  switch (declared.toUpperCase()) {
    case '':
      return null;
    case 'DECIMAL':
      return ColumnTypeEnum.Numeric;
    case 'FLOAT':
      return ColumnTypeEnum.Float;
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
    case 'NUMERIC':
    case 'REAL':
      return ColumnTypeEnum.Double;
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INT':
    case 'INTEGER':
    case 'SERIAL':
    case 'INT2':
      return ColumnTypeEnum.Int32;
    case 'BIGINT':
    case 'UNSIGNED BIG INT':
    case 'INT8':
      return ColumnTypeEnum.Int64;
    case 'DATETIME':
    case 'TIMESTAMP':
      return ColumnTypeEnum.DateTime;
    case 'TIME':
      return ColumnTypeEnum.Time;
    case 'DATE':
      return ColumnTypeEnum.Date;
    case 'TEXT':
    case 'CLOB':
    case 'CHARACTER':
    case 'VARCHAR':
    case 'VARYING CHARACTER':
    case 'NCHAR':
    case 'NATIVE CHARACTER':
    case 'NVARCHAR':
      return ColumnTypeEnum.Text;
    case 'BLOB':
      return ColumnTypeEnum.Bytes;
    case 'BOOLEAN':
      return ColumnTypeEnum.Boolean;
    case 'JSONB':
      return ColumnTypeEnum.Json;
    default:
      return null;
  }
}
