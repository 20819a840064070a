import { textsOf, type PageContext } from './page-context.js';

/**
 * A user claim (OIDC Core 5.1) in plain words ("See your full name", i18n: `claims`), for the
 * consent page when a client asks for it on its own (OIDC Core 5.5); one without a description
 * is shown as itself.
 */
export function describeClaim(claim: string, context: PageContext = {}): string {
  const texts = textsOf(context);
  return texts.seeClaim(
    Object.hasOwn(texts.claims, claim) ? (texts.claims[claim] ?? claim) : claim,
  );
}
