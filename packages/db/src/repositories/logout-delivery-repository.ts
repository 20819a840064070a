import { randomUUID } from 'node:crypto';
import type { LogoutDelivery, LogoutDeliveryStore, LogoutNotice } from '@idp/oidc';
import type { Database } from '../database.js';
import { canMatchStoredText, table } from './rows.js';

/** A delivery as stored: its notice's fields are columns of its own row. */
type LogoutDeliveryRow = Omit<LogoutDelivery, 'notice'> & LogoutNotice;

const deliveries = table<LogoutDeliveryRow>('LogoutDelivery', {
  ...{ id: 'value', clientId: 'value', uri: 'value', alg: 'value', sessionId: 'value' },
  ...{ subject: 'value', attempts: 'value', dueAt: 'time', createdAt: 'time' },
});

const toDelivery = (row: LogoutDeliveryRow): LogoutDelivery => {
  const { id, attempts, dueAt, createdAt, ...notice } = row;
  return { id, notice, attempts, dueAt, createdAt };
};

/**
 * Pending back-channel logout deliveries. A claim is a compare-and-set per row (its `dueAt` and
 * `attempts` as read), so of concurrent claimers, in this process or another, exactly one moves
 * a row; the others skip it. Plain model API on both databases, no locking SQL.
 */
export class LogoutDeliveryRepository implements LogoutDeliveryStore {
  constructor(private readonly db: Database) {}

  async enqueue(notices: readonly LogoutNotice[], now: number): Promise<void> {
    if (notices.length === 0) return;
    await this.db.prisma.logoutDelivery.createMany({
      data: notices.map((notice) =>
        deliveries.write({
          id: randomUUID(),
          ...notice,
          attempts: 0,
          dueAt: now,
          createdAt: now,
        }),
      ) as never,
    });
  }

  async claim(now: number, leaseMs: number, limit: number): Promise<LogoutDelivery[]> {
    const due = await this.db.prisma.logoutDelivery.findMany({
      where: { dueAt: { lte: new Date(now) } },
      orderBy: { dueAt: 'asc' },
      take: limit,
    });
    const claimed: LogoutDelivery[] = [];
    for (const row of due) {
      const { count } = await this.db.prisma.logoutDelivery.updateMany({
        where: { id: row.id, dueAt: row.dueAt, attempts: row.attempts },
        data: { dueAt: new Date(now + leaseMs), attempts: row.attempts + 1 },
      });
      if (count === 1) {
        const record = deliveries.read(row)!;
        claimed.push(toDelivery({ ...record, attempts: row.attempts + 1, dueAt: now + leaseMs }));
      }
    }
    return claimed;
  }

  async retryAt(id: string, at: number): Promise<void> {
    if (!canMatchStoredText(id)) return;
    await this.db.prisma.logoutDelivery.updateMany({
      where: { id },
      data: { dueAt: new Date(at) },
    });
  }

  async remove(id: string): Promise<void> {
    if (!canMatchStoredText(id)) return;
    await this.db.prisma.logoutDelivery.deleteMany({ where: { id } });
  }
}
