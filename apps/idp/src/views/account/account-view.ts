import { hiddenFields } from '../hidden-fields.js';
import { messages, type Locale, type Messages } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';

/** What every section needs: the CSRF token, and the language and zone to show times in. */
export interface SectionContext {
  /** The reader's language (the request's). */
  readonly locale: Locale;
  /** CSRF token, posted back as `csrf` by every form. */
  readonly csrf: string;
  /** IANA time zone for the times shown (the person's `zoneinfo`), UTC when unset. */
  readonly timeZone: string;
}

/** The account area's words in the section's language (i18n `account`). */
export function accountTexts(context: Pick<SectionContext, 'locale'>): Messages['account'] {
  return messages(context.locale).account;
}

/** A time as people read it, in their zone and language. */
export function whenText(ms: number, context: Pick<SectionContext, 'locale' | 'timeZone'>): string {
  return new Intl.DateTimeFormat(accountTexts(context).dateLocale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: context.timeZone,
    timeZoneName: 'short',
  }).format(new Date(ms));
}

/** A time as people read it, inside a `<time>` machines can read too. */
export function when(ms: number, context: Pick<SectionContext, 'locale' | 'timeZone'>): SafeHtml {
  return html`<time datetime="${new Date(ms).toISOString()}">${whenText(ms, context)}</time>`;
}

/**
 * A form posting to `action` with the CSRF token and `fields` hidden, around `content` (its
 * labelled inputs and its button). No JavaScript: every action on the account page is a form.
 */
export function postForm(
  action: string,
  context: SectionContext,
  content: SafeHtml,
  options: { fields?: Readonly<Record<string, string>>; className?: string } = {},
): SafeHtml {
  const className = options.className ? html` class="${options.className}"` : '';
  return html`<form method="post" action="${action}"${className}>
${hiddenFields({ csrf: context.csrf, ...options.fields })}${content}
</form>`;
}

/** A titled section of the account page, reachable from the page's contents by `id`. */
export function section(id: string, title: string, content: SafeHtml): SafeHtml {
  return html`<section class="card-section" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${title}</h2>
${content}
</section>
`;
}
