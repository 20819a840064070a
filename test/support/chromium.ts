import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`), which `.ci/run` installs. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, and quiet: no first-run pages, updates, sync or QUIC probes on the loopback tests. */
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium for a browser test. A missing browser fails the test with the command that
 * installs it: the page tests are part of the suite, and skipping them would pass without them.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS, timeout: 20_000 });
}

/** Collects what a page complains about (console errors, uncaught errors), to explain a failure. */
export function watchPage(page: Page): () => string {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
      problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return () => (problems.length > 0 ? `\nbrowser reported:\n${problems.join('\n')}` : '');
}
