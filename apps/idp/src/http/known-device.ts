import { randomBytes } from 'node:crypto';
import { sha256Hex } from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What this module reads from the instance's decorators (plugins/stores.ts). */
type KnownDeviceDeps = Pick<FastifyInstance, 'config'>;

export const KNOWN_DEVICE_COOKIE = 'idp_device';

/** The accounts one browser remembers having signed in to; the oldest drops out past this. */
const MAX_ACCOUNTS = 10;

/**
 * The "known device" cookie: a random browser id and, per account that signed in from this
 * browser, a tag binding the account to that id. Signed (@fastify/cookie), so only the server
 * makes tags; hashed, so the cookie names no account. The login throttle lets such a browser
 * sign in to those accounts whatever other sources did.
 */
export interface KnownDevice {
  readonly id: string;
  readonly tags: readonly string[];
}

export function readKnownDevice(request: FastifyRequest): KnownDevice | undefined {
  const raw = request.cookies[KNOWN_DEVICE_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  const [id, ...tags] = unsigned.value.split('.');
  return id ? { id, tags } : undefined;
}

/** Whether this browser signed in to the account before. */
export function knowsAccount(device: KnownDevice | undefined, account: string): boolean {
  return device !== undefined && device.tags.includes(accountTag(device.id, account));
}

/** After a successful sign-in: this browser now knows the account (for IDP_LOGIN_KNOWN_SOURCE_TTL). */
export function rememberAccount(
  reply: FastifyReply,
  app: KnownDeviceDeps,
  device: KnownDevice | undefined,
  account: string,
): void {
  const id = device?.id ?? randomBytes(16).toString('base64url');
  const tag = accountTag(id, account);
  const tags = [tag, ...(device?.tags ?? []).filter((other) => other !== tag)].slice(
    0,
    MAX_ACCOUNTS,
  );
  void reply.setCookie(KNOWN_DEVICE_COOKIE, [id, ...tags].join('.'), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: app.config.issuer.startsWith('https:'),
    signed: true,
    maxAge: app.config.loginKnownSourceTtl,
  });
}

function accountTag(deviceId: string, account: string): string {
  return sha256Hex(`${deviceId}\n${account}`).slice(0, 32);
}
