import type { Db } from '../db-client.js';

/**
 * What a change counter counts. Each is bumped in the same transaction as the change, so an
 * instance that sees the new value also sees the change.
 */
export type ChangeCounterName = 'clients';

/** Counts one change to `name`; call it inside the transaction that makes the change. */
export async function countChange(
  tx: Pick<Db, 'changeCounter'>,
  name: ChangeCounterName,
): Promise<void> {
  // An upsert (INSERT ... ON CONFLICT on both databases), so a database whose row was removed
  // by hand still counts instead of failing the change.
  await tx.changeCounter.upsert({
    where: { name },
    create: { name, value: 1 },
    update: { value: { increment: 1 } },
  });
}

/** The current value of a change counter (0 before its first change). */
export async function readChangeCounter(
  db: Pick<Db, 'changeCounter'>,
  name: ChangeCounterName,
): Promise<number> {
  const row = await db.changeCounter.findUnique({ where: { name }, select: { value: true } });
  return row?.value ?? 0;
}
