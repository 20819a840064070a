import { html, type SafeHtml } from './html.js';

/** Hidden inputs, one per entry, in the order given. */
export function hiddenFields(fields: Readonly<Record<string, string>>): SafeHtml {
  return html`${Object.entries(fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">\n`,
  )}`;
}
