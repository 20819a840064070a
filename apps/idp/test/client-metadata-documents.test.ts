import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthorizationError, type RegisteredClient } from '@idp/oidc';
import { ClientCache } from '../src/client-cache.js';
import {
  DOCUMENT_CACHE,
  documentLifetimeMs,
  MetadataDocumentClients,
} from '../src/client-metadata-documents.js';

const URL_ID = 'https://app.example/client.json';
const DOCUMENT = {
  client_id: URL_ID,
  client_name: 'App',
  redirect_uris: ['https://app.example/cb'],
  token_endpoint_auth_method: 'none',
};

function resolver(answers: Array<{ document: unknown; headers?: Record<string, string> } | Error>) {
  let now = 1_000_000;
  const fetched: string[] = [];
  const saved: Array<{ client: RegisteredClient; now: number }> = [];
  const refused: string[] = [];
  const clients = new MetadataDocumentClients({
    fetch: async (url) => {
      fetched.push(url);
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      if (!answer) throw new Error('no answer');
      if (answer instanceof Error) throw answer;
      return { document: answer.document, headers: answer.headers ?? {} };
    },
    save: async (client, at) => {
      saved.push({ client, now: at });
    },
    signingAlgorithms: ['RS256'],
    plainHttpHosts: [],
    now: () => now,
    onRefused: (_url, reason) => refused.push(reason),
  });
  return { clients, fetched, saved, refused, advance: (ms: number) => (now += ms) };
}

describe('client metadata documents: fetching and caching (draft 5, 5.2)', () => {
  test('a valid document is fetched once, saved, and served from memory for its max-age', async () => {
    const r = resolver([
      { document: DOCUMENT, headers: { 'cache-control': 'public, max-age=600' } },
    ]);
    const client = await r.clients.findById(URL_ID);
    assert.equal(client.clientId, URL_ID);
    assert.equal(client.metadataDocument, true);
    assert.equal(r.saved.length, 1);
    r.advance(599_000);
    await r.clients.findById(URL_ID);
    assert.equal(r.fetched.length, 1, 'still fresh');
    r.advance(2_000);
    await r.clients.findById(URL_ID);
    assert.equal(r.fetched.length, 2, 'fetched again after max-age');
  });

  test('concurrent lookups share one fetch', async () => {
    const r = resolver([{ document: DOCUMENT }]);
    await Promise.all([r.clients.findById(URL_ID), r.clients.findById(URL_ID)]);
    assert.equal(r.fetched.length, 1);
  });

  test('errors and invalid documents MUST NOT be cached', async () => {
    const r = resolver([
      new Error('connection refused'),
      { document: { ...DOCUMENT, client_id: 'https://other.example/c' } },
      { document: DOCUMENT },
    ]);
    await assert.rejects(
      r.clients.findById(URL_ID),
      (e) => e instanceof AuthorizationError && e.error === 'invalid_client',
    );
    await assert.rejects(r.clients.findById(URL_ID), /must equal its URL/);
    assert.equal((await r.clients.findById(URL_ID)).clientId, URL_ID);
    assert.equal(r.fetched.length, 3);
    assert.equal(r.refused.length, 2);
  });

  test('a malformed client_id URL is refused without any fetch', async () => {
    const r = resolver([{ document: DOCUMENT }]);
    await assert.rejects(r.clients.findById('https://app.example/a/../c'), /\.\./);
    await assert.rejects(r.clients.findById('http://app.example/c'), /https/);
    assert.equal(r.fetched.length, 0);
  });

  test('lifetimes: max-age less Age, within bounds; no-store and no-cache get the floor', () => {
    assert.equal(documentLifetimeMs({ 'cache-control': 'max-age=600' }), 600_000);
    assert.equal(documentLifetimeMs({ 'cache-control': 'max-age=600', age: '100' }), 500_000);
    assert.equal(documentLifetimeMs({ 'cache-control': 'max-age=1' }), DOCUMENT_CACHE.minMs);
    assert.equal(documentLifetimeMs({ 'cache-control': 'max-age=9999999' }), DOCUMENT_CACHE.maxMs);
    assert.equal(documentLifetimeMs({ 'cache-control': 'no-store' }), DOCUMENT_CACHE.minMs);
    assert.equal(
      documentLifetimeMs({ 'cache-control': 'no-cache, max-age=600' }),
      DOCUMENT_CACHE.minMs,
    );
    assert.equal(documentLifetimeMs({}), DOCUMENT_CACHE.defaultMs);
  });
});

describe('the client cache sends URL client_ids to the resolver only', () => {
  test('disabled: a URL finds no client, and the database is not asked', async () => {
    const loaded: string[] = [];
    const cache = new ClientCache({
      load: async (id) => {
        loaded.push(id);
        return null;
      },
      changeCount: async () => 0,
    });
    assert.equal(await cache.findById(URL_ID), null);
    assert.deepEqual(loaded, []);
  });

  test('enabled: a URL goes to the resolver, other ids to the database', async () => {
    const loaded: string[] = [];
    const r = resolver([{ document: DOCUMENT }]);
    const cache = new ClientCache({
      load: async (id) => {
        loaded.push(id);
        return null;
      },
      changeCount: async () => 0,
      urlClients: r.clients,
    });
    assert.equal((await cache.findById(URL_ID))?.clientId, URL_ID);
    assert.equal(await cache.findById('web'), null);
    assert.deepEqual(loaded, ['web']);
  });
});
