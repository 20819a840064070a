import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { retainedTickObject, retainTickObjectShape } from '../src/tick-object-shape.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** What a queued tick looks like from inside its callback. */
function ownSymbolNames(value: object): string[] {
  return Object.getOwnPropertySymbols(value).map((symbol) => symbol.description ?? '');
}

test('the object kept is a process.nextTick tick (its async ids, callback and args), the same one on a second call', async () => {
  assert.equal(retainedTickObject(), undefined);
  await retainTickObjectShape();
  const kept = retainedTickObject();
  assert.ok(kept);
  assert.deepEqual(Object.keys(kept), ['callback', 'args']);
  assert.deepEqual(ownSymbolNames(kept).sort(), ['async_id_symbol', 'trigger_async_id_symbol']);
  // Called again (a second start in one process), it keeps the same object.
  await retainTickObjectShape();
  assert.equal(retainedTickObject(), kept);
});

test('the module holds the tick object strongly: it survives a full garbage collection with no other reference', async () => {
  await retainTickObjectShape();
  const weak = new WeakRef(retainedTickObject()!);
  // A WeakRef's target is held until the current job ends; collect after it has.
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  assert.ok(weak.deref());
  assert.deepEqual(Object.keys(weak.deref()!), ['callback', 'args']);
});
