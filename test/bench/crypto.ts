/**
 * The ceilings the server's numbers are compared with, measured on the server core by itself:
 * jose RS256 (2048-bit) signatures and verifications per second, and argon2id hashes per second
 * at the server's parameters. Run by run.ts under `taskset -c 1`; prints one JSON line.
 */
import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import argon2 from 'argon2';
import { jwtVerify, SignJWT } from 'jose';

// The bench's own processes run TypeScript through tsx, which turns source maps on; the
// server runs compiled JavaScript without them.
process.setSourceMapsEnabled(false);

/** Calls `step` back to back for about `seconds`, returning calls per second. */
async function rate(seconds: number, step: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < seconds * 1000) {
    await step();
    count += 1;
  }
  return count / ((performance.now() - start) / 1000);
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
// Claims of about the size of an access token.
const claims = {
  iss: 'http://127.0.0.1:3000',
  sub: 'a'.repeat(36),
  aud: 'https://api.example.com',
  client_id: 'bench-service',
  scope: 'api.read',
  jti: 'b'.repeat(32),
};
const sign = () =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k', typ: 'at+jwt' })
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
const token = await sign();
await rate(0.3, sign); // warm-up (JIT)

const rs256SignsPerSecond = await rate(2, sign);
const rs256VerifiesPerSecond = await rate(2, () => jwtVerify(token, publicKey));
// The server's parameters (apps/idp/src/passwords.ts): OWASP's minimum for argon2id.
const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
await argon2.hash('warm-up password', options);
const argon2HashesPerSecond = await rate(3, () =>
  argon2.hash('correct horse battery staple', options),
);
// As the server runs them under load: four at once in libuv's pool (its default size), all on
// this one core, so each hash's 19 MiB competes for the same caches.
const four = () =>
  Promise.all(
    Array.from({ length: 4 }, () => argon2.hash('correct horse battery staple', options)),
  );
const argon2HashesPerSecondFourAtOnce = (await rate(3, four)) * 4;

process.stdout.write(
  `${JSON.stringify({ rs256SignsPerSecond, rs256VerifiesPerSecond, argon2HashesPerSecond, argon2HashesPerSecondFourAtOnce })}\n`,
);
