/**
 * What an identifier costs from the pooled CSPRNG bytes (`randomId`) against a call to
 * `randomBytes` per identifier, pinned to one core: `taskset -c 1 node --import tsx scripts/random-id.ts` in packages/oidc.
 * Not part of `pnpm test`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { randomId } from '../src/tokens/build-claims.js';

const COUNT = 200_000;
const ways: [string, () => string][] = [
  ['randomBytes(16) per id', () => randomBytes(16).toString('base64url')],
  ['randomId() (pooled)', () => randomId()],
  ['randomUUID() (Node, pooled)', () => randomUUID()],
];

for (let round = 1; round <= 3; round++) {
  for (const [name, make] of ways) {
    let last = '';
    const start = process.cpuUsage();
    for (let index = 0; index < COUNT; index++) last = make();
    const used = process.cpuUsage(start);
    if (last.length === 0) throw new Error('no id');
    console.log(
      `round ${round}  ${name.padEnd(28)} ${((used.user + used.system) / COUNT).toFixed(2)} µs of CPU per id`,
    );
  }
}
