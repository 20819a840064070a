import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workerThreadpoolSize } from '../src/cluster-primary.js';

test("workers share the cores out among their threadpools, at least 2 threads each; the operator's UV_THREADPOOL_SIZE wins", () => {
  assert.equal(workerThreadpoolSize({ workers: 2, threadpoolSize: undefined }, 2), 2);
  assert.equal(workerThreadpoolSize({ workers: 4, threadpoolSize: undefined }, 2), 2);
  assert.equal(workerThreadpoolSize({ workers: 2, threadpoolSize: undefined }, 16), 8);
  assert.equal(workerThreadpoolSize({ workers: 3, threadpoolSize: undefined }, 8), 3);
  assert.equal(workerThreadpoolSize({ workers: 2, threadpoolSize: 6 }, 2), 6);
});
