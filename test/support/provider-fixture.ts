import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { scratchDatabase, type Provider } from './databases.js';
import { isolatedEnvironment, keyEncryptionKey } from './environment.js';
import { freePort } from './free-port.js';
import { idp, spawnServer, type SpawnedServer } from './processes.js';

export const CALLBACK = 'http://127.0.0.1:9/callback';
export const SIGNED_OUT = 'http://127.0.0.1:9/signed-out';
export const WEB_SECRET = 'web-client-secret-with-plenty-of-entropy-0123456789';
export const ALICE = {
  email: 'alice@example.com',
  password: 'correct horse battery staple',
  name: 'Alice Example',
};

/** The clients and users every login test starts with. */
export const seed = {
  clients: [
    {
      client_id: 'web',
      client_name: 'Example Web App',
      client_secret: WEB_SECRET,
      redirect_uris: [CALLBACK],
      post_logout_redirect_uris: [SIGNED_OUT],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid profile email address phone offline_access',
    },
    {
      client_id: 'post-client',
      client_name: 'Post Auth Client',
      client_secret: `${WEB_SECRET}-post`,
      token_endpoint_auth_method: 'client_secret_post',
      redirect_uris: [CALLBACK],
      scope: 'openid profile email',
    },
    {
      client_id: 'native',
      client_name: 'Native App',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/cb'],
      scope: 'openid profile',
    },
    {
      client_id: 'web2',
      client_name: 'Second Web App',
      client_secret: `${WEB_SECRET}-2`,
      redirect_uris: [CALLBACK],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid profile email offline_access',
    },
    {
      client_id: 'first-party',
      client_name: 'Our Own App',
      client_secret: `${WEB_SECRET}-fp`,
      redirect_uris: [CALLBACK],
      first_party: true,
    },
    {
      client_id: 'service',
      client_secret: `${WEB_SECRET}-svc`,
      grant_types: ['client_credentials'],
      scope: 'reports.read reports.write',
      resources: ['https://api.example.com'],
    },
  ],
  users: [
    {
      email: ALICE.email,
      password: ALICE.password,
      name: ALICE.name,
      given_name: 'Alice',
      email_verified: true,
      phone_number: '+1 555 0100',
    },
    { email: 'bob@example.com', password: 'bob has a long password', name: 'Bob' },
  ],
};

export interface ProviderFixture {
  readonly issuer: string;
  /** The database's own URL (the server's `DATABASE_URL` may lead through a proxy). */
  readonly databaseUrl: string;
  readonly server: SpawnedServer;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real server on a loopback port whose issuer is its own URL, seeded through the CLI.
 * `route` rewrites the database URL the server and the CLI use (e.g. through a TCP proxy).
 */
export async function startProvider(
  provider: Provider,
  settings: Record<string, string> = {},
  options: { route?: (databaseUrl: string) => string } = {},
): Promise<ProviderFixture> {
  const database = await scratchDatabase(provider);
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const env = await isolatedEnvironment({
    DATABASE_URL: options.route ? options.route(database.url) : database.url,
    IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
    IDP_ISSUER: issuer,
    PORT: String(port),
    ...settings,
  });
  const seedFile = join(tmpdir(), `seed-${randomBytes(6).toString('hex')}.json`);
  await writeFile(seedFile, JSON.stringify(seed));
  const imported = await idp(['import', seedFile], env);
  if (imported.code !== 0) throw new Error(`seed import failed: ${imported.stderr}`);
  const server = await spawnServer({ ...env });
  return {
    issuer,
    databaseUrl: database.url,
    server,
    env,
    async close() {
      await server.stop();
      await database.drop();
    },
  };
}
