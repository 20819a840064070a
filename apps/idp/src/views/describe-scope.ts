import { textsOf, type PageContext } from './page-context.js';

/**
 * A scope in plain words for the consent page (i18n: `scopes`); a scope without a description
 * is shown as itself, so nothing requested is hidden from the person.
 */
export function describeScope(scope: string, context: PageContext = {}): string {
  const texts = textsOf(context).scopes;
  return Object.hasOwn(texts, scope) ? (texts[scope] ?? scope) : scope;
}
