import { html } from './html.js';
import { page } from './layout.js';
import type { PageContext } from './page-context.js';

/** The text of an error page; every part is escaped. */
export interface ErrorPageOptions extends PageContext {
  /** What went wrong, in plain words ("This sign-in link is not valid"). */
  title: string;
  /** What it means for the person and what they can do. */
  message: string;
  /** A muted line for support, such as the OAuth error code; never a stack trace. */
  detail?: string;
}

/**
 * An error page for people, for errors that must not redirect to a client (unknown client,
 * unregistered redirect_uri) or that the person should see.
 */
export function errorPage(options: ErrorPageOptions): string {
  const { title, message, detail } = options;
  const body = html`<h1>${title}</h1>
<p class="lead">${message}</p>
${detail ? html`<p class="muted">${detail}</p>` : ''}`;
  return page({ ...options, title, body });
}
