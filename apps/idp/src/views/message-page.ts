import { html } from './html.js';
import { page } from './layout.js';
import type { PageContext } from './page-context.js';

/** The text of a message page; every part is escaped. */
export interface MessagePageOptions extends PageContext {
  title: string;
  message: string;
  /** One link onwards, e.g. back to the sign-in page. */
  link?: { href: string; text: string };
}

/** A page that only tells the person something ("You are signed out", "Too many attempts…"). */
export function messagePage(options: MessagePageOptions): string {
  const { title, message, link } = options;
  const onwards = link ? html`\n<p><a href="${link.href}">${link.text}</a></p>` : '';
  return page({
    ...options,
    title,
    body: html`<h1>${title}</h1>\n<p class="lead">${message}</p>${onwards}`,
  });
}
