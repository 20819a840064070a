import { defineConfig } from '@idp/eslint-config';

export default defineConfig({ frameworkFree: true });
