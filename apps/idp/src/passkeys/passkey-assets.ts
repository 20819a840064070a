import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PASSKEY_SCRIPT } from './passkey-script.js';

/** A script served from a fixed path, with its Subresource Integrity value. */
export interface ScriptAsset {
  readonly path: string;
  readonly body: string;
  /** `sha384-<base64>` (SRI 3.1), so a page runs exactly this file. */
  readonly integrity: string;
}

function asset(path: string, body: string): ScriptAsset {
  return {
    path,
    body,
    integrity: `sha384-${createHash('sha384').update(body, 'utf8').digest('base64')}`,
  };
}

// The package's browser bundle (a UMD file defining the global SimpleWebAuthnBrowser), read once.
const bundleFile = join(
  dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')),
  '..',
  'dist',
  'bundle',
  'index.umd.min.js',
);

/** The scripts the passkey pages load, in order: the library, then the page script using it. */
export const PASSKEY_SCRIPTS: readonly ScriptAsset[] = [
  asset('/assets/simplewebauthn-browser.js', readFileSync(bundleFile, 'utf8')),
  asset('/assets/passkeys.js', PASSKEY_SCRIPT),
];

/** The scripts' absolute URLs on the issuer's origin, for the CSP of the pages that load them. */
export function passkeyScriptUrls(issuer: string): string[] {
  const origin = new URL(issuer).origin;
  return PASSKEY_SCRIPTS.map((script) => `${origin}${script.path}`);
}
