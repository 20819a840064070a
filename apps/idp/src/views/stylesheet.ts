import { html } from './html.js';

/** The card and text colours of each scheme, which branding.ts checks its colour against. */
export const PALETTE = {
  light: { card: '#ffffff', text: '#1a1d23' },
  dark: { card: '#1a1d23', text: '#e9ebef' },
} as const;

/**
 * The one stylesheet every page inlines. Inline, so a page is a single response with nothing
 * else to fetch, and allowed by its hash (`STYLE_HASH`) rather than `'unsafe-inline'`: editing
 * it changes the hash, which is computed from this text at load. No `style=""` attributes
 * anywhere, since the hash does not cover them.
 */
export const STYLESHEET = html`
:root {
  color-scheme: light dark;
  --bg: #f3f4f6;
  --card: ${PALETTE.light.card};
  --text: ${PALETTE.light.text};
  --muted: #5a6170;
  --border: #d3d7de;
  --field: #ffffff;
  --accent: #2450d3;
  --accent-hover: #1c40ab;
  --on-accent: #ffffff;
  --link: #2450d3;
  --focus: #2450d3;
  --alert-bg: #fdeceb;
  --alert-border: #f0b4b0;
  --alert-text: #8f1d16;
  --notice-bg: #e9f6ee;
  --notice-border: #9fd3b2;
  --notice-text: #14532d;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1115;
    --card: ${PALETTE.dark.card};
    --text: ${PALETTE.dark.text};
    --muted: #a4abb8;
    --border: #3a404b;
    --field: #12141a;
    --accent: #8aa8ff;
    --accent-hover: #a9c0ff;
    --on-accent: #0c1224;
    --link: #8aa8ff;
    --focus: #8aa8ff;
    --alert-bg: #3a1714;
    --alert-border: #7a2c25;
    --alert-text: #ffc9c3;
    --notice-bg: #10291a;
    --notice-border: #2c6a43;
    --notice-text: #b8efcb;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  display: flex;
  align-items: center;
  justify-content: center;
  padding: 24px 12px;
  background: var(--bg);
  color: var(--text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main {
  width: 100%;
  max-width: 26rem;
  padding: clamp(20px, 6vw, 36px);
  background: var(--card);
  border: 1px solid var(--border);
  border-radius: 14px;
  box-shadow: 0 1px 2px rgb(0 0 0 / 4%), 0 8px 24px rgb(0 0 0 / 6%);
  overflow-wrap: anywhere;
}
h1 { margin: 0 0 8px; font-size: 1.5rem; line-height: 1.25; font-weight: 650; }
p { margin: 0 0 16px; }
.lead, .muted { color: var(--muted); }
.lead { margin-bottom: 24px; }
.muted { margin: 20px 0 0; font-size: 0.875rem; }
.alert {
  margin: 0 0 20px;
  padding: 10px 14px;
  border: 1px solid var(--alert-border);
  border-radius: 8px;
  background: var(--alert-bg);
  color: var(--alert-text);
}
.field { margin-bottom: 16px; }
label { display: block; margin-bottom: 6px; font-weight: 600; font-size: 0.9375rem; }
input {
  display: block;
  width: 100%;
  min-height: 44px;
  padding: 10px 12px;
  border: 1px solid var(--border);
  border-radius: 8px;
  background: var(--field);
  color: inherit;
  font: inherit;
}
input[aria-invalid=true] { border-color: var(--alert-text); }
.scopes { margin: 0 0 24px; padding: 0; list-style: none; border: 1px solid var(--border); border-radius: 8px; }
.scopes li { padding: 10px 14px; }
.scopes li + li { border-top: 1px solid var(--border); }
.actions { display: grid; gap: 10px; margin-top: 24px; }
button {
  width: 100%;
  min-height: 44px;
  padding: 10px 16px;
  border: 1px solid var(--accent);
  border-radius: 8px;
  background: var(--accent);
  color: var(--on-accent);
  font: inherit;
  font-weight: 600;
  cursor: pointer;
}
button:hover { background: var(--accent-hover); border-color: var(--accent-hover); }
button[value=deny] { background: transparent; border-color: var(--border); color: var(--text); }
button[value=deny]:hover { background: var(--bg); border-color: var(--muted); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
a { color: var(--link); }
a:hover { text-decoration-thickness: 2px; }
.brand { display: flex; align-items: center; gap: 10px; margin: 0 0 20px; font-weight: 650; font-size: 1.0625rem; }
.brand img { display: block; max-height: 40px; max-width: 160px; }
input:focus-visible { outline-offset: 0; border-color: var(--focus); }
.notice {
  margin: 0 0 20px;
  padding: 10px 14px;
  border: 1px solid var(--notice-border);
  border-radius: 8px;
  background: var(--notice-bg);
  color: var(--notice-text);
}
main.wide { max-width: 44rem; }
h2 { margin: 0 0 12px; font-size: 1.1875rem; line-height: 1.3; font-weight: 650; }
.toc { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0 0 8px; padding: 0; list-style: none; font-size: 0.9375rem; }
.card-section { padding-top: 24px; margin-top: 24px; border-top: 1px solid var(--border); }
.field-hint, .field-error { margin: 6px 0 0; font-size: 0.875rem; }
.field-hint { color: var(--muted); }
.field-error { color: var(--alert-text); font-weight: 600; }
.readonly { margin: 0; padding: 4px 0 0; }
.label { display: block; font-weight: 600; font-size: 0.9375rem; }
.section-lead { margin: 0 0 16px; color: var(--muted); font-size: 0.9375rem; }
.items { margin: 0; padding: 0; list-style: none; border: 1px solid var(--border); border-radius: 8px; }
.items > li { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 16px; padding: 12px 14px; }
.items > li + li { border-top: 1px solid var(--border); }
.item-text { flex: 1 1 16rem; min-width: 0; }
.item-text p { margin: 0; }
.item-title { font-weight: 600; }
.detail { color: var(--muted); font-size: 0.875rem; }
.field-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); column-gap: 16px; }
.badge { display: inline-block; margin-right: 6px; vertical-align: 1px; padding: 0 8px; border: 1px solid var(--accent); border-radius: 999px; color: var(--accent); font-size: 0.8125rem; font-weight: 600; }
.item-form { margin: 0; }
button.secondary { width: auto; min-height: 40px; padding: 8px 14px; background: transparent; border-color: var(--border); color: var(--text); }
button.secondary:hover { background: var(--bg); border-color: var(--muted); }
.actions.inline { display: flex; justify-content: flex-start; }
.actions.inline button { width: auto; }
.qr { display: block; margin: 0 auto 16px; width: 200px; height: 200px; padding: 8px; background: #fff; border-radius: 8px; }
.secret, .codes { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; letter-spacing: 0.05em; }
.codes { columns: 2; margin: 0 0 16px; padding: 12px 14px; list-style: none; border: 1px solid var(--border); border-radius: 8px; }
details { margin-top: 16px; }
summary { cursor: pointer; color: var(--accent); }
@media (max-width: 400px) {
  body { align-items: flex-start; padding: 0; }
  main { max-width: none; min-height: 100vh; border: 0; border-radius: 0; box-shadow: none; }
}
`;
