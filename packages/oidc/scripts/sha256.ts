/**
 * What SHA-256 of a token costs through a Hash object (`createHash().update().digest()`) against
 * Node's one-shot `hash()`, pinned to one core: `taskset -c 1 node --import tsx scripts/sha256.ts`
 * in packages/oidc. A refresh hashes three tokens (the presented one, its successor, at_hash).
 * Not part of `pnpm test`.
 */
import { createHash } from 'node:crypto';
import { atHash } from '../src/tokens/at-hash.js';
import { sha256Hex, sha256Matches } from '../src/hash.js';

const COUNT = 200_000;
// About the size of a refresh token (RS256, 2048-bit key).
const token = `${'e'.repeat(120)}.${'p'.repeat(300)}.${'s'.repeat(342)}`;
const stored = sha256Hex(token);
const ways: [string, () => unknown][] = [
  ['createHash hex', () => createHash('sha256').update(token, 'utf8').digest('hex')],
  ['sha256Hex', () => sha256Hex(token)],
  ['sha256Matches', () => sha256Matches(token, stored) || undefined],
  ['atHash', () => atHash(token)],
];

for (let round = 1; round <= 3; round++) {
  for (const [name, run] of ways) {
    let last: unknown;
    const start = process.cpuUsage();
    for (let index = 0; index < COUNT; index++) last = run();
    const used = process.cpuUsage(start);
    if (last === undefined) throw new Error(`${name} gave nothing`);
    console.log(
      `round ${round}  ${name.padEnd(16)} ${((used.user + used.system) / COUNT).toFixed(2)} µs of CPU per call`,
    );
  }
}
