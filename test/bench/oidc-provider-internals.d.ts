// Two modules of oidc-provider that its typings do not cover, used by peer-server.ts to give the
// default in-memory adapter a store without its 1000-entry bound.
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  import type { Adapter } from 'oidc-provider';

  const MemoryAdapter: new (model: string, store: unknown, clockTolerance?: number) => Adapter;
  export default MemoryAdapter;
}
declare module 'oidc-provider/lib/helpers/lru.js' {
  export default class LRU {
    constructor(options: { maxSize: number });
  }
}
