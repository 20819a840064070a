/**
 * @module @idp/server
 * The composition root, exported for black-box tests that need an injected clock.
 */
export { buildApp } from './app.js';
export { startServer, type RunningServer } from './server.js';
export { openServices, signingKeyPolicy, type Services } from './services.js';
export { createLogger, loggerOptions, redactUrl } from './logger.js';
