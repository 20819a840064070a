import { baseConfig } from '@idp/eslint-config';

export default baseConfig;
