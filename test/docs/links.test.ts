import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/paths.js';

/** Markdown outside fenced blocks and inline code, where `#` and `](` mean nothing. */
const prose = (markdown: string) =>
  markdown.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');

/**
 * The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as
 * hyphens, and `-1`, `-2`, ... for repeats.
 */
async function anchors(file: string): Promise<Set<string>> {
  const headings = (await readFile(file, 'utf8'))
    .replace(/^```[\s\S]*?^```$/gm, '')
    .matchAll(/^#{1,6} (.+)$/gm);
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of headings) {
    const slug = heading!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const repeats = seen.get(slug) ?? 0;
    seen.set(slug, repeats + 1);
    result.add(repeats === 0 ? slug : `${slug}-${repeats}`);
  }
  return result;
}

test('every relative link in README.md and docs/ names a file and heading that exist', async () => {
  const documents = [
    'README.md',
    ...(await readdir(join(repositoryRoot, 'docs')))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  const broken: string[] = [];
  let links = 0;
  for (const document of documents) {
    const text = prose(await readFile(join(repositoryRoot, document), 'utf8'));
    for (const [, href] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(href!)) continue; // https:, mailto:
      links += 1;
      const [path, fragment] = href!.split('#');
      const target = path
        ? resolve(repositoryRoot, dirname(document), path)
        : join(repositoryRoot, document);
      if (!existsSync(target))
        broken.push(`${document}: ${href} (no ${relative(repositoryRoot, target)})`);
      else if (fragment !== undefined && !(await anchors(target)).has(fragment))
        broken.push(`${document}: ${href} (no such heading)`);
    }
  }
  assert.ok(links > 50, `the README and docs/ link to each other (found ${links} links)`);
  assert.deepEqual(broken, []);
});
