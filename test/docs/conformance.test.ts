import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/paths.js';

/** The table rows of docs/conformance.md: a module and the cell naming its test file. */
async function rows(): Promise<{ module: string; cell: string }[]> {
  const markdown = await readFile(join(repositoryRoot, 'docs/conformance.md'), 'utf8');
  return [...markdown.matchAll(/^\|\s*`((?:oidcc|fapi2)-[^`]+)`\s*\|\s*(.+?)\s*\|$/gm)].map(
    ([, module, cell]) => ({ module: module!, cell: cell! }),
  );
}

test('docs/conformance.md: each module mapped to a test file is named in that file', async () => {
  const mapped = await rows();
  assert.ok(mapped.length > 100, `only ${mapped.length} rows read`);
  const missing: string[] = [];
  for (const { module, cell } of mapped) {
    if (cell.startsWith('not supported')) continue;
    const file = /^`([^`]+\.ts)`/.exec(cell)?.[1];
    assert.ok(file, `${module}: no test file in "${cell}"`);
    const text = await readFile(join(repositoryRoot, file), 'utf8');
    // A title that names several modules of one plan may give the later ones without the plan's
    // prefix, starting with a hyphen.
    const suffix = module.replace(/^(oidcc|fapi2-security-profile-final)-/, '-');
    if (!text.includes(module) && !text.includes(suffix)) missing.push(`${module} in ${file}`);
  }
  assert.deepEqual(missing, []);
});

test('docs/conformance.md: every module named in an end-to-end test is in the table', async () => {
  const mapped = new Set((await rows()).map((row) => row.module));
  const named = execFileSync(
    'git',
    [
      'grep',
      '-ohE',
      '(oidcc|fapi2-security-profile-final)-[A-Za-z0-9_-]*[A-Za-z0-9]',
      '--',
      'test',
    ],
    { cwd: repositoryRoot, encoding: 'utf8' },
  );
  const unknown = [...new Set(named.split('\n').filter(Boolean))].filter(
    (module) => !mapped.has(module),
  );
  assert.deepEqual(unknown, []);
});
