import { html } from './html.js';
import { page } from './layout.js';

/** The text of a message page; every part is escaped. */
export interface MessagePageOptions {
  title: string;
  message: string;
}

/** A page that only tells the person something ("You are signed out", "Too many attempts…"). */
export function messagePage({ title, message }: MessagePageOptions): string {
  return page({ title, body: html`<h1>${title}</h1>\n<p class="lead">${message}</p>` });
}
