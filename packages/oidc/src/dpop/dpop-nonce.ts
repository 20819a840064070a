import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-provided DPoP nonces (RFC 9449 8, 9), stateless: a nonce is the HMAC of a time window's
 * number under a key every instance shares, so any instance recognises any other's. A nonce is
 * accepted during its own window and the next one, so one fetched just before a window ends
 * still works.
 */
export class DpopNonces {
  readonly #key: Buffer;
  readonly #windowMs: number;

  constructor(key: Uint8Array, windowMs = 5 * 60_000) {
    this.#key = Buffer.from(key);
    this.#windowMs = windowMs;
  }

  /** The nonce to hand out now (the `DPoP-Nonce` response header). */
  current(now: number): string {
    return this.#nonceFor(Math.floor(now / this.#windowMs));
  }

  isValid(nonce: string, now: number): boolean {
    const window = Math.floor(now / this.#windowMs);
    const presented = Buffer.from(nonce);
    return [window, window - 1].some((w) => {
      const expected = Buffer.from(this.#nonceFor(w));
      return expected.length === presented.length && timingSafeEqual(expected, presented);
    });
  }

  #nonceFor(window: number): string {
    return createHmac('sha256', this.#key).update(`dpop-nonce:${window}`).digest('base64url');
  }
}
