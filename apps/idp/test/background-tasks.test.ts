import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackgroundTasks } from '../src/periodic-task.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a task runs on its interval, never twice at once, and stop waits for the run under way', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const tasks = new BackgroundTasks();
  let runs = 0;
  let finish!: () => void;
  tasks.every(
    1000,
    () => {
      runs += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    },
    () => assert.fail('no error expected'),
  );
  t.mock.timers.tick(1000);
  t.mock.timers.tick(1000); // due again while the first run is still going: skipped
  assert.equal(runs, 1);
  let stopped = false;
  const stopping = tasks.stop().then(() => (stopped = true));
  await settle();
  assert.equal(stopped, false, 'stop waits for the run under way');
  finish();
  await stopping;
  t.mock.timers.tick(5000);
  assert.equal(runs, 1, 'no run after stop');
});

test('a failed run is reported and the next one still happens; waitOnStop: false does not wait', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const tasks = new BackgroundTasks();
  const errors: unknown[] = [];
  let runs = 0;
  tasks.every(
    1000,
    async () => {
      runs += 1;
      if (runs === 1) throw new Error('database unavailable');
      await new Promise(() => {}); // never finishes
    },
    (error) => errors.push(error),
    { waitOnStop: false },
  );
  t.mock.timers.tick(1000);
  await settle();
  assert.equal(errors.length, 1);
  t.mock.timers.tick(1000);
  assert.equal(runs, 2);
  await tasks.stop(); // resolves although the second run never finishes
});
