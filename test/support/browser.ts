import { Agent, fetch as fetchFrom } from 'undici';

/**
 * A minimal browser for black-box tests: a cookie jar, redirects followed one by one (so a test
 * can stop at the client's redirect_uri), and HTML forms submitted as a browser would submit them.
 * Pages are parsed with regular expressions: enough for our own server-rendered forms.
 * `from` sends its requests from another loopback address (127.0.0.2, ...), so tests can act as
 * several client addresses against a server on 127.0.0.1.
 */
export class TestBrowser {
  readonly #cookies = new Map<string, string>();
  readonly #setCookieLines = new Map<string, string>();
  readonly #agent: Agent | undefined;

  constructor(options: { from?: string } = {}) {
    this.#agent = options.from ? new Agent({ localAddress: options.from }) : undefined;
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** The last Set-Cookie line received for a cookie, attributes included. */
  setCookieLine(name: string): string | undefined {
    return this.#setCookieLines.get(name);
  }

  clearCookies(): void {
    this.#cookies.clear();
  }

  /** Takes another browser's cookies: the same browser, moved to another network. */
  copyCookiesFrom(other: TestBrowser): void {
    for (const [name, value] of other.#cookies) this.#cookies.set(name, value);
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0)
      headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = this.#agent
      ? ((await fetchFrom(url, {
          ...(init as Parameters<typeof fetchFrom>[1]),
          headers,
          redirect: 'manual',
          dispatcher: this.#agent,
        })) as unknown as Response)
      : await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      this.#setCookieLines.set(name, line);
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '')
        this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }

  /**
   * Follows redirects from `url` until a response that is not a redirect, or until the location
   * starts with `stopAt` (the client's redirect_uri), which is returned without being fetched.
   */
  async navigate(url: string, stopAt: string, init: RequestInit = {}): Promise<Page> {
    let response = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
      const location = new URL(response.headers.get('location')!, current).href;
      if (location.startsWith(stopAt))
        return { url: location, status: response.status, html: '', redirectedTo: location };
      current = location;
      response = await this.request(location);
    }
    return {
      url: current,
      status: response.status,
      html: await response.text(),
      headers: response.headers,
    };
  }

  /** Submits the page's first form (or the one containing `field`), overriding some fields. */
  async submit(
    page: Page,
    values: Record<string, string>,
    stopAt: string,
    button?: { name: string; value: string },
  ): Promise<Page> {
    const form = parseForm(page.html);
    const fields = {
      ...form.fields,
      ...values,
      ...(button ? { [button.name]: button.value } : {}),
    };
    const action = new URL(form.action, page.url).href;
    return this.navigate(action, stopAt, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

export interface Page {
  readonly url: string;
  readonly status: number;
  readonly html: string;
  readonly headers?: Headers;
  /** Set when navigation stopped at the client's redirect_uri. */
  readonly redirectedTo?: string;
}

const decode = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The first form on a page: its action and its inputs' names and values (hidden ones included). */
export function parseForm(html: string): {
  action: string;
  method: string;
  fields: Record<string, string>;
} {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no form on the page:\n${html.slice(0, 500)}`);
  const attribute = (tag: string, name: string) => {
    const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
    return match ? decode(match[2] ?? match[3] ?? '') : undefined;
  };
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input[0], 'name');
    if (name) fields[name] = attribute(input[0], 'value') ?? '';
  }
  return {
    action: attribute(form[1]!, 'action') ?? '',
    method: attribute(form[1]!, 'method') ?? 'get',
    fields,
  };
}
