import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@idp/config';
import { ManualClock } from '@idp/keys/testing';
import { createLogger, startServer, type RunningServer } from '@idp/server';
import * as oidc from 'openid-client';
import { scratchDatabase, type Provider } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { freePort } from '../support/free-port.js';
import { idp } from '../support/processes.js';
import { seed, WEB_SECRET } from '../support/provider-fixture.js';
import { SmtpSink } from '../support/smtp-sink.js';

/** A server that sends its e-mails to a real SMTP sink, on a scratch database. */
export interface EmailServer {
  /** The server's clock: it stands still unless a test moves it, so links do not expire early. */
  readonly clock: ManualClock;
  readonly smtp: SmtpSink;
  readonly issuer: string;
  /** The environment the server runs with, for the `idp` CLI. */
  readonly env: Record<string, string>;
  /** openid-client's configuration of the seeded `web` client. */
  readonly config: oidc.Configuration;
  /** Waits until every mail the server has queued so far was handed to the sink (or failed). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the SMTP sink, imports the seed (plus `users`) into a scratch database and starts the
 * server in this process with a manual clock, IDP_SMTP_URL pointing at the sink and `env` added.
 * The issuer is on 127.0.0.1, or with `host: 'localhost'` on localhost (a WebAuthn RP id must be
 * a domain name; browsers then cannot pick another loopback address to send from).
 */
export async function startEmailServer(
  provider: Provider,
  options: {
    env?: Record<string, string>;
    users?: readonly object[];
    host?: '127.0.0.1' | 'localhost';
  } = {},
): Promise<EmailServer> {
  const clock = new ManualClock(Date.now());
  const smtp = new SmtpSink();
  const smtpUrl = await smtp.start();
  const database = await scratchDatabase(provider);
  let server: RunningServer | undefined;
  const close = async () => {
    await server?.app.close();
    await smtp.close();
    await database.drop();
  };
  try {
    const port = await freePort();
    const host = options.host ?? '127.0.0.1';
    const issuer = `http://${host}:${port}`;
    const env = await isolatedEnvironment({
      DATABASE_URL: database.url,
      IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      IDP_ISSUER: issuer,
      PORT: String(port),
      HOST: host,
      IDP_SMTP_URL: smtpUrl,
      IDP_EMAIL_FROM: 'Example Sign-in <signin@example.com>',
      ...options.env,
    });
    const seedFile = join(tmpdir(), `email-seed-${randomBytes(6).toString('hex')}.json`);
    const users = [...seed.users, ...(options.users ?? [])];
    await writeFile(seedFile, JSON.stringify({ ...seed, users }));
    const imported = await idp(['import', seedFile], env);
    assert.equal(imported.code, 0, imported.stderr);
    server = await startServer(loadConfig(env), { clock, logger: createLogger('silent') });
    const config = await oidc.discovery(
      new URL(issuer),
      'web',
      undefined,
      oidc.ClientSecretBasic(WEB_SECRET),
      { execute: [oidc.allowInsecureRequests] },
    );
    // The app's outbox (plugins/email.ts) sends each mail after its page was answered.
    const outbox = server.app.getDecorator<{ drain(): Promise<void> }>('outbox');
    return { clock, smtp, issuer, env, config, settle: () => outbox.drain(), close };
  } catch (error) {
    await close();
    throw error;
  }
}
