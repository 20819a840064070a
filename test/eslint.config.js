import { defineConfig } from '@idp/eslint-config';

// Black-box tests build child-process environments, so they may read process.env.
export default defineConfig({ allowProcessEnv: true });
