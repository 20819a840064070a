import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { settingsTable } from '../src/index.js';

test('the README configuration table is the one generated from the settings', async () => {
  const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = /<!-- settings-table:start[^>]*-->\n([\s\S]*?)\n<!-- settings-table:end -->/.exec(
    readme,
  )?.[1];
  assert.ok(block, 'README.md has the settings-table markers');
  assert.equal(
    block,
    settingsTable(),
    'regenerate the README table: node -e "import(\'@idp/config\').then(m => console.log(m.settingsTable()))"',
  );
});
