import { defineConfig } from '@idp/eslint-config';

// The only package allowed to read process.env.
export default defineConfig({ allowProcessEnv: true, frameworkFree: true });
