import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A software WebAuthn authenticator (WebAuthn L3 6) for tests that talk HTTP: it makes
 * "none"-attested ES256 credentials and signs assertions over whatever challenge, origin and
 * RP id a test gives it, so tests can craft responses a real authenticator would never produce
 * (a replayed or foreign challenge, another user's handle). Browser tests use Chromium's virtual
 * authenticator instead.
 */

const b64u = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

// Authenticator data flags (WebAuthn L3 6.1): user present, user verified, attested data.
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface SoftCredential {
  readonly id: Buffer;
  readonly privateKey: KeyObject;
  readonly coseKey: Uint8Array;
  /** The user handle the credential was created for (base64url). */
  readonly userHandle: string;
  counter: number;
}

function coseKeyOf(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  // COSE_Key (RFC 9053 7.1.1): kty EC2, alg ES256, crv P-256, x, y.
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
}

function authenticatorData(rpId: string, flags: number, counter: number, attested?: Buffer) {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, attested ?? Buffer.alloc(0)]);
}

export interface CeremonyContext {
  readonly challenge: string;
  readonly origin: string;
  readonly rpId: string;
}

/** A new credential for the user handle in `options.user.id`, and its registration response. */
export function createCredential(
  options: { challenge: string; rp: { id?: string }; user: { id: string } },
  origin: string,
): { credential: SoftCredential; response: object } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const id = randomBytes(16);
  const coseKey = coseKeyOf(publicKey);
  const rpId = options.rp.id ?? new URL(origin).hostname;
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(id.length);
  const attested = Buffer.concat([Buffer.alloc(16), idLength, id, Buffer.from(coseKey)]);
  const authData = authenticatorData(rpId, UP | UV | AT, 0, attested);
  const clientData = JSON.stringify({
    type: 'webauthn.create',
    challenge: options.challenge,
    origin,
    crossOrigin: false,
  });
  const attestationObject = isoCBOR.encode(
    new Map<string, unknown>([
      ['fmt', 'none'],
      ['attStmt', new Map()],
      ['authData', authData],
    ]) as never,
  );
  return {
    credential: { id, privateKey, coseKey, userHandle: options.user.id, counter: 0 },
    response: {
      id: b64u(id),
      rawId: b64u(id),
      type: 'public-key',
      response: {
        clientDataJSON: b64u(Buffer.from(clientData)),
        attestationObject: b64u(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    },
  };
}

/**
 * An assertion by `credential` over `context` (WebAuthn L3 6.3.3): the counter goes up by one
 * each time; `userHandle` defaults to the credential's own.
 */
export function assert(
  credential: SoftCredential,
  context: CeremonyContext,
  overrides: { userHandle?: string } = {},
): object {
  credential.counter += 1;
  const authData = authenticatorData(context.rpId, UP | UV, credential.counter);
  const clientData = Buffer.from(
    JSON.stringify({
      type: 'webauthn.get',
      challenge: context.challenge,
      origin: context.origin,
      crossOrigin: false,
    }),
  );
  const signature = sign(
    'sha256',
    Buffer.concat([authData, sha256(clientData)]),
    credential.privateKey,
  );
  return {
    id: b64u(credential.id),
    rawId: b64u(credential.id),
    type: 'public-key',
    response: {
      clientDataJSON: b64u(clientData),
      authenticatorData: b64u(authData),
      signature: b64u(signature),
      userHandle: overrides.userHandle ?? credential.userHandle,
    },
    clientExtensionResults: {},
  };
}
