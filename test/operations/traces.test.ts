import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { basic, loginTokens, tokenRequest } from '../support/flow.js';
import { freePort } from '../support/free-port.js';
import { startProvider, WEB_SECRET, type ProviderFixture } from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

/** An OTLP/HTTP span as the JSON encoding carries it (hex ids, typed attribute values). */
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: readonly { key: string; value: Record<string, unknown> }[];
}

/** A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON trace exports and keeps the spans. */
async function startCollector(): Promise<{
  url: string;
  spans: OtlpSpan[];
  bodies: string[];
  server: Server;
}> {
  const spans: OtlpSpan[] = [];
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      assert.equal(request.url, '/v1/traces');
      assert.match(request.headers['content-type'] ?? '', /^application\/json/);
      bodies.push(body);
      const data = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const resource of data.resourceSpans)
        for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/v1/traces`, spans, bodies, server };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return value === undefined ? undefined : (value.stringValue ?? value.intValue);
};

for (const provider of providers) {
  describe(`OpenTelemetry traces to an OTLP collector (IDP_OTLP_TRACES_URL) on ${provider}`, () => {
    let collector: Awaited<ReturnType<typeof startCollector>>;
    let op: ProviderFixture;

    before(async () => {
      collector = await startCollector();
      op = await startProvider(provider, { IDP_OTLP_TRACES_URL: collector.url });
    });
    after(async () => {
      await op?.close();
      await new Promise((resolve) => collector?.server.close(resolve));
    });

    test("one SERVER span per request, named by route, joined to the caller's traceparent, with no token or secret", async () => {
      const traceId = randomBytes(16).toString('hex');
      const parentSpanId = randomBytes(8).toString('hex');
      const discovery = await fetch(`${op.issuer}/.well-known/openid-configuration`, {
        headers: { traceparent: `00-${traceId}-${parentSpanId}-01` },
      });
      assert.equal(discovery.status, 200);
      const code = randomBytes(16).toString('base64url');
      const refused = await tokenRequest(
        op.issuer,
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'http://127.0.0.1:9/callback',
          code_verifier: 'v'.repeat(43),
        },
        { authorization: basic('web', WEB_SECRET) },
      );
      assert.equal(refused.status, 400);
      const path = `/no-such-page/${randomBytes(8).toString('hex')}`;
      assert.equal((await fetch(`${op.issuer}${path}?access_token=${code}`)).status, 404);

      // The batch goes out within the exporter's delay (5 s), or at the latest when the server stops.
      await waitFor(
        () => collector.spans.some((span) => span.name === 'GET unmatched'),
        'the spans at the collector',
        15_000,
      );
      const discoverySpan = collector.spans.find(
        (span) => span.name === 'GET /.well-known/openid-configuration',
      );
      assert.ok(discoverySpan, collector.spans.map((span) => span.name).join(', '));
      assert.equal(discoverySpan.kind, 2, 'SPAN_KIND_SERVER');
      assert.equal(discoverySpan.traceId, traceId, "W3C trace context: the caller's trace");
      assert.equal(discoverySpan.parentSpanId, parentSpanId);
      assert.equal(attribute(discoverySpan, 'http.route'), '/.well-known/openid-configuration');
      assert.equal(Number(attribute(discoverySpan, 'http.response.status_code')), 200);
      const tokenSpan = collector.spans.find((span) => span.name === 'POST /token');
      assert.ok(tokenSpan);
      assert.equal(attribute(tokenSpan, 'http.request.method'), 'POST');
      assert.equal(Number(attribute(tokenSpan, 'http.response.status_code')), 400);
      assert.notEqual(
        tokenSpan.traceId,
        traceId,
        'a request without traceparent starts its own trace',
      );
      const everything = collector.bodies.join('\n');
      for (const secret of [code, WEB_SECRET, path, 'access_token'])
        assert.ok(!everything.includes(secret), `${secret} was exported`);
    });
    test('a /token request has child spans for its database calls and its JWT signing (alg, kid), never a token', async () => {
      const tokens = await loginTokens(new TestBrowser(), op.issuer, {
        scope: 'openid offline_access',
      });
      const idTokenKid = decodeProtectedHeader(tokens.id_token!).kid;
      const isOkToken = (span: OtlpSpan) =>
        span.name === 'POST /token' && Number(attribute(span, 'http.response.status_code')) === 200;
      const childrenOf = (parent: OtlpSpan) =>
        collector.spans.filter(
          (span) => span.parentSpanId === parent.spanId && span.traceId === parent.traceId,
        );
      // The request span ends last, so the children are exported with it or before.
      await waitFor(
        () => collector.spans.some(isOkToken),
        'the /token span at the collector',
        15_000,
      );
      const tokenSpan = collector.spans.find(isOkToken)!;
      await waitFor(
        () => childrenOf(tokenSpan).some((span) => span.name === 'jwt.sign'),
        'its child spans',
        15_000,
      );
      const children = childrenOf(tokenSpan);
      const names = children.map((span) => span.name);
      for (const name of ['codes.find', 'codes.redeem'])
        assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
      const redeem = children.find((span) => span.name === 'codes.redeem')!;
      assert.equal(attribute(redeem, 'db.system.name'), provider);
      assert.equal(attribute(redeem, 'db.operation.name'), 'redeem');
      const signs = children.filter((span) => span.name === 'jwt.sign');
      assert.ok(signs.length >= 3, 'access, ID and refresh tokens are each a signing span');
      for (const sign of signs) {
        assert.equal(attribute(sign, 'jwt.alg'), 'RS256');
        assert.match(String(attribute(sign, 'jwt.kid')), /\S/);
      }
      assert.ok(
        signs.some((sign) => attribute(sign, 'jwt.kid') === idTokenKid),
        "the ID token's kid is on its signing span",
      );
      for (const child of children) assert.equal(child.kind, 1, 'SPAN_KIND_INTERNAL');
      // Background work (key refresh, clean-up) makes no orphan spans: every store span has a parent.
      assert.ok(
        collector.spans
          .filter((span) => /^\w+\.\w+$/.test(span.name))
          .every((span) => span.parentSpanId),
      );
      const everything = collector.bodies.join('\n');
      for (const secret of [
        tokens.access_token,
        tokens.id_token!,
        tokens.refresh_token!,
        tokens.code,
        tokens.verifier,
      ])
        assert.ok(!everything.includes(secret), 'a token or code was exported');
    });
  });
}
