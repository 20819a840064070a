import { z } from 'zod';
import { OperationError } from '../../operations/operation-error.js';

/** `?limit=&cursor=&search=` of a list: at most 200 a page, 50 by default. */
export const pageQuery = z.strictObject({
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 200' })
    .int({ error: 'must be a whole number from 1 to 200' })
    .min(1, { error: 'must be a whole number from 1 to 200' })
    .max(200, { error: 'must be a whole number from 1 to 200' })
    .default(50),
  cursor: z.string().max(2000).optional(),
  search: z.string().min(1).max(200).optional(),
});

/** A page of a list with the cursor of the next one (null on the last page). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

/** A cursor is opaque to callers: the base64url of the keyset position (JSON). */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The keyset position of a cursor this API issued, checked by `schema`; 400 otherwise. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    if (parsed.success) return parsed.data;
  } catch {
    // Reported below.
  }
  throw OperationError.invalid([
    { path: 'cursor', message: 'is not a cursor this API issued (use next_cursor as given)' },
  ]);
}

/**
 * One page from a store asked for one more item than the page holds, so that whether a next
 * page exists is known without a count.
 */
export function paged<Item, Json>(
  fetched: readonly Item[],
  limit: number,
  toJson: (item: Item) => Json,
  positionOf: (item: Item) => unknown,
): { items: Json[]; next_cursor: string | null } {
  const items = fetched.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toJson),
    next_cursor:
      fetched.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}
