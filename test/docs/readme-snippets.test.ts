import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { providers, scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { freePort } from '../support/free-port.js';
import { repositoryRoot } from '../support/paths.js';
import { idp, run, spawnServer, type SpawnedServer } from '../support/processes.js';

interface Snippet {
  readonly file: string;
  readonly language: string;
  readonly line: number;
  readonly text: string;
}

/**
 * The documents whose snippets a reader runs: the README, and the two its sections point to for
 * the rest. In this order, since later snippets use what earlier ones created (Alice, my-app).
 */
const documents = ['README.md', 'docs/clients.md', 'docs/operations.md'];

/** The documents' fenced code blocks, with their file, language and first line. */
async function readmeSnippets(): Promise<Snippet[]> {
  const snippets: Snippet[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const file of documents) {
    const text = await readFile(join(repositoryRoot, file), 'utf8');
    for (const match of text.matchAll(fence)) {
      snippets.push({
        file,
        language: match[1]!,
        line: text.slice(0, match.index).split('\n').length,
        text: match[2]!,
      });
    }
  }
  return snippets;
}

/**
 * Shell snippets whose every command (continuation lines aside) asks the README's local server
 * with curl or runs the admin CLI; the others install, build, test, or show a production setup,
 * and are not run here.
 */
const isLocalShellSnippet = (s: Snippet) =>
  s.language === 'sh' &&
  s.text
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s/.test(line))
    .every(
      (command) =>
        /^curl http:\/\/(localhost|127\.0\.0\.1):3000\//.test(command) ||
        command.startsWith('pnpm idp '),
    );
const isSeedSnippet = (s: Snippet) => s.language === 'json' && /"clients"/.test(s.text);

/** The snippet as written, pointed at this test's server instead of port 3000. */
const onPort = (text: string, port: number) =>
  text.replace(/\b(localhost|127\.0\.0\.1):3000\b/g, `$1:${port}`);

const where = (s: Snippet) => `${s.file} line ${s.line}`;

/**
 * Runs a shell snippet as a person would, in a terminal (`script` gives it one), answering the
 * CLI's password prompt (`pnpm idp users add` asks on the terminal). Output is the terminal's.
 */
async function runInTerminal(
  snippet: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const file = join(tmpdir(), `readme-snippet-${randomBytes(6).toString('hex')}.sh`);
  await writeFile(file, snippet);
  try {
    const child = spawn(
      'script',
      ['--quiet', '--flush', '--return', '--command', `bash -e ${file}`, '/dev/null'],
      {
        cwd: repositoryRoot,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let answered = 0;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Answer each prompt once, when it appears.
      const prompts = output.split('Password: ').length - 1;
      for (; answered < prompts; answered += 1)
        child.stdin.write('a long enough password for alice\r');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const [code] = (await once(child, 'exit')) as [number | null];
    child.stdin.destroy();
    return { code, output: output.replace(/\r\n/g, '\n') };
  } finally {
    await rm(file, { force: true });
  }
}

for (const provider of providers) {
  describe(`issue 29 item 16: the README's snippets run as written (${provider})`, () => {
    let database: Awaited<ReturnType<typeof scratchDatabase>>;
    let server: SpawnedServer;
    let env: Record<string, string>;
    let port: number;
    let snippets: Snippet[];

    before(async () => {
      snippets = await readmeSnippets();
      database = await scratchDatabase(provider);
      port = await freePort();
      // The README's default: no IDP_ISSUER, so the issuer is http://localhost:$PORT.
      // The key pair of the README's private_key_jwt client, as its developer would hold it.
      const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
      const clientKeys = {
        MY_SERVICE_JWKS: JSON.stringify({
          keys: [{ ...(await exportJWK(publicKey)), kid: 'my-service-1' }],
        }),
        MY_SERVICE_KEY: await exportPKCS8(privateKey),
      };
      env = {
        ...(await isolatedEnvironment({
          DATABASE_URL: database.url,
          IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
          PORT: String(port),
        })),
        ...clientKeys,
      };
      server = await spawnServer({ ...env, HOST: 'localhost' });
    });
    after(async () => {
      await server?.stop();
      await database?.drop();
    });

    test('the shell snippets (curl, pnpm idp) and the openid-client snippet', async () => {
      const shell = snippets.filter(isLocalShellSnippet);
      // Scripts against the README's local server; one aimed at a production issuer (a FAPI client
      // with its own keys) shows a setup, like the shell snippets that are not run.
      const scripts = snippets.filter(
        (s) => s.language === 'js' && /\b(localhost|127\.0\.0\.1):3000\b/.test(s.text),
      );
      assert.ok(
        shell.some((s) => /^curl /m.test(s.text)),
        'the README shows curl against the local server',
      );
      assert.ok(
        shell.some((s) => /^pnpm idp clients add /m.test(s.text)),
        'the README registers a client with pnpm idp',
      );
      assert.ok(
        scripts.some((s) => s.text.includes('openid-client')),
        'the README shows openid-client discovery',
      );

      let output = '';
      for (const snippet of shell) {
        const result = await runInTerminal(onPort(snippet.text, port), env);
        assert.equal(result.code, 0, `${where(snippet)} failed:\n${result.output}`);
        output += result.output;
      }
      assert.match(output, new RegExp(`"issuer":"http://localhost:${port}"`), 'discovery answered');
      assert.match(output, /"keys":\[\{/, 'the JWKS answered');
      assert.match(output, /<h1>Gerät verbinden<\/h1>/, 'the device page answered in German');
      const secret = /client_secret: (\S+)/.exec(output)?.[1];
      assert.ok(secret, 'clients add printed the secret');
      assert.match((await idp(['users', 'list'], env)).stdout, /alice@example\.com/);

      for (const snippet of scripts) {
        // Next to test/node_modules, so that `import 'openid-client'` resolves as in an application.
        const file = fileURLToPath(
          new URL(`./.readme-snippet-${randomBytes(6).toString('hex')}.mjs`, import.meta.url),
        );
        const check = `\nconsole.log(JSON.stringify({ issuer: config.serverMetadata().issuer, client_id: config.clientMetadata().client_id }));\n`;
        const clientId = /oidc\.discovery\([^,]+,\s*'([^']+)'/.exec(snippet.text)?.[1];
        assert.ok(clientId, `${where(snippet)}: names its client`);
        await writeFile(file, onPort(snippet.text, port) + check);
        try {
          const result = await run([process.execPath, file], { ...env, MY_APP_SECRET: secret });
          assert.equal(result.code, 0, `${where(snippet)} failed:\n${result.stderr}`);
          // A snippet may print nothing of its own; the check's line is the last.
          assert.deepEqual(JSON.parse(result.stdout.trim().split('\n').at(-1)!), {
            issuer: `http://localhost:${port}`,
            client_id: clientId,
          });
        } finally {
          await rm(file, { force: true });
        }
      }
    });

    test('the seed file example imports', async () => {
      const seeds = snippets.filter(isSeedSnippet);
      assert.ok(seeds.length > 0, 'the README shows a seed file');
      for (const snippet of seeds) {
        const file = join(tmpdir(), `readme-seed-${randomBytes(6).toString('hex')}.json`);
        await writeFile(file, snippet.text);
        try {
          const result = await idp(['import', file], env);
          assert.equal(result.code, 0, `${where(snippet)} failed:\n${result.stderr}`);
          assert.equal(result.stderr, '', `${where(snippet)}: no warnings`);
        } finally {
          await rm(file, { force: true });
        }
      }
    });
  });
}
