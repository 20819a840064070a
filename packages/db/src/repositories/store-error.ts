// The error is part of the store ports' contract, so the protocol core owns it.
export { StoreError } from '@idp/oidc';
