import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { consoleMessages } from '../../i18n/index.js';
import { sendHtml } from '../../http/html-reply.js';
import { auditPage, type AuditFilters } from '../../views/console/audit-page.js';
import { CONSOLE_CSP } from '../../views/console/console-layout.js';
import { encodeCursor } from '../admin/paging.js';
import { consoleUser } from './console-guard.js';
import { cursorPosition, PAGE_SIZE } from './console-pages.js';

const position = z.strictObject({ at: z.number().int().min(0), id: z.string() });

/** A time typed in a datetime-local field, read as UTC; null when empty, NaN when malformed. */
function instant(value: string): number | null {
  if (value === '') return null;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)
    ? Date.parse(`${value}Z`)
    : Number.NaN;
}

/** The audit trail, newest first, filtered by type, user, client, actor and time. */
export async function consoleAuditPages(app: FastifyInstance) {
  app.get('/audit', async (request, reply) => {
    const { frame } = consoleUser(request);
    const query = request.query as Record<string, unknown>;
    const text = (name: string) => {
      const value = query[name];
      return typeof value === 'string' ? value.trim().slice(0, 300).replaceAll('\u0000', '') : '';
    };
    const filters: AuditFilters = {
      type: text('type'),
      user: text('user'),
      client: text('client'),
      actor: text('actor'),
      since: text('since'),
      until: text('until'),
    };
    const since = instant(filters.since);
    const until = instant(filters.until);
    if (Number.isNaN(since) || Number.isNaN(until))
      return sendHtml(
        reply,
        400,
        auditPage({
          frame,
          filters,
          events: [],
          nextHref: null,
          problem: consoleMessages(frame.locale).audit.badTime,
        }),
        CONSOLE_CSP,
      );
    // A user may be named by email (looked up) or by sub.
    let userId = filters.user;
    if (userId.includes('@')) userId = (await app.users.findByEmail(userId))?.id ?? userId;
    const before = cursorPosition(text('cursor') || undefined, position);
    const fetched = await app.audit.recent({
      limit: PAGE_SIZE + 1,
      ...(filters.type ? { type: filters.type } : {}),
      ...(userId ? { userId } : {}),
      ...(filters.client ? { clientId: filters.client } : {}),
      ...(filters.actor ? { actor: filters.actor } : {}),
      ...(since === null ? {} : { since }),
      ...(until === null ? {} : { until }),
      ...(before ? { before } : {}),
    });
    const events = fetched.slice(0, PAGE_SIZE);
    const last = events.at(-1);
    const nextHref =
      fetched.length > PAGE_SIZE && last
        ? `/admin/audit?${new URLSearchParams({
            ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '')),
            cursor: encodeCursor({ at: last.at, id: last.id }),
          }).toString()}`
        : null;
    return sendHtml(reply, 200, auditPage({ frame, filters, events, nextHref }), CONSOLE_CSP);
  });
}
