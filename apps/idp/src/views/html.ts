// A tiny HTML template tag: the literal parts of a template are markup, every interpolated value
// is text and gets escaped, except what `html` itself produced. Attribute values must be quoted
// in templates: escaping protects quoted attributes only.

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Markup built by {@link html}. Not exported as a class so nothing else can forge one. */
class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  /** The markup itself, ready to send or to hash. */
  toString(): string {
    return this.#markup;
  }
}

export type { SafeHtml };

/** What a template accepts: text (escaped), or markup that `html` already built. */
export type HtmlValue = string | number | SafeHtml | readonly SafeHtml[];

// `unknown`, not HtmlValue: whatever slips past the types (any, casts) still ends up escaped.
function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * Tagged template for HTML: `html\`<p title="${hint}">${text}</p>\``. Interpolated values are
 * escaped (`& < > " '`) unless they are {@link SafeHtml} (or arrays of it) from another `html`
 * call, so fragments nest without double escaping.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup);
}
