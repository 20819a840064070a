import type { PageQuery } from '@idp/oidc';
import { Prisma } from '../generated/sqlite/client.js';

/**
 * A LIKE pattern for "contains `search`", ASCII letters lower-cased, with LIKE's wildcards in the
 * search escaped (by a backslash, named in each `ESCAPE` clause) so that they match themselves.
 */
function containsPattern(search: string): string {
  const lower = search.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return `%${lower.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The WHERE clause of one page (PageQuery) over `key`, the column the list is ordered by:
 * after the cursor, and some of `searched` containing the search (or `exact` equal to it).
 * The same text serves SQLite and PostgreSQL; `LOWER` of a column compared with a lower-cased
 * pattern makes the match case-insensitive on both (SQLite's LIKE alone is, PostgreSQL's is not).
 */
export function pageWhere(
  query: PageQuery,
  key: string,
  searched: readonly string[],
  exact: readonly string[] = [],
): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (query.after !== undefined)
    conditions.push(Prisma.sql`${Prisma.raw(`"${key}"`)} > ${query.after}`);
  if (query.search !== undefined && query.search !== '') {
    const pattern = containsPattern(query.search);
    const alternatives = [
      ...searched.map(
        (column) => Prisma.sql`LOWER(${Prisma.raw(`"${column}"`)}) LIKE ${pattern} ESCAPE '\\'`,
      ),
      ...exact.map((column) => Prisma.sql`${Prisma.raw(`"${column}"`)} = ${query.search}`),
    ];
    conditions.push(Prisma.sql`(${Prisma.join(alternatives, ' OR ')})`);
  }
  return conditions.length === 0
    ? Prisma.empty
    : Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`;
}
