import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 4.1 time step X, in seconds: what every authenticator app uses. */
export const TOTP_PERIOD_SECONDS = 30;

/**
 * One step either side of the current one is accepted (RFC 6238 5.2 recommends at most one
 * step of network delay), so a code typed as it changed, or from a phone a few seconds off,
 * still works. A step is used once whatever the window (OneTimeCodeStore.useStep).
 */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

/** A new shared secret: 20 random bytes (RFC 4226 4 R6 recommends 160 bits), base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/**
 * Checks a code against the secret at `nowMs`; the RFC 6238 time step it belongs to, or null.
 * Steps up to `afterStep` are refused here already (otplib's replay guard); the store refuses
 * them again atomically, which is what holds under concurrent requests.
 */
export async function matchTotp(
  secret: string,
  code: string,
  nowMs: number,
  afterStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/** The `otpauth://totp/...` URI an authenticator app reads from the QR code. */
export function otpauthUri(issuerName: string, account: string, secret: string): string {
  return generateURI({ issuer: issuerName, label: account, secret });
}

/** The secret in groups of four, easier to type into an app than 32 letters in a row. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}
