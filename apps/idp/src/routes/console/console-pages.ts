import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { consoleMessages } from '../../i18n/index.js';
import { sendHtml } from '../../http/html-reply.js';
import { html } from '../../views/html.js';
import {
  CONSOLE_CSP,
  consolePage,
  type ConsoleFrame,
  type ConsoleSection,
} from '../../views/console/console-layout.js';
import { encodeCursor } from '../admin/paging.js';

export const PAGE_SIZE = 25;

/** `?search=&cursor=` of a console list; anything malformed is ignored (a page never fails on it). */
export function listQuery(query: unknown): { search?: string; cursor?: string; limit: number } {
  const parsed = z
    .object({
      search: z.string().trim().min(1).max(200).optional().catch(undefined),
      cursor: z.string().max(2000).optional().catch(undefined),
    })
    .catch({})
    .parse(query);
  return {
    limit: PAGE_SIZE,
    ...(parsed.search ? { search: parsed.search } : {}),
    ...(parsed.cursor ? { cursor: parsed.cursor } : {}),
  };
}

/** The link to the next page of a list, keeping its search. */
export function nextPageHref(path: string, query: { search?: string }, position: unknown): string {
  const params = new URLSearchParams({
    ...(query.search ? { search: query.search } : {}),
    cursor: encodeCursor(position),
  });
  return `${path}?${params.toString()}`;
}

/** A console page saying that what was asked for is not there (or cannot be done). */
export function consoleNotFound(
  reply: FastifyReply,
  frame: ConsoleFrame,
  section: ConsoleSection,
  message: string,
  status = 404,
): FastifyReply {
  const t = consoleMessages(frame.locale).common;
  return sendHtml(
    reply,
    status,
    consolePage({
      title: status === 404 ? t.notFound : t.notDone,
      section,
      frame,
      body: html`<p class="lead">${message}</p><p><a href="/admin/${section}">${t.backToList}</a></p>`,
    }),
    CONSOLE_CSP,
  );
}

/** The position a cursor of ours names; undefined (the first page) for anything else. */
export function cursorPosition<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
