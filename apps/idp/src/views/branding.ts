import type { Config } from '@idp/config';
import { contrastRatio, mix, textOn } from './contrast.js';
import { cspHash } from './csp-hash.js';
import { html, type SafeHtml } from './html.js';
import { PALETTE } from './stylesheet.js';

/**
 * The operator's branding (IDP_BRAND_*), ready for the pages: a product name and logo above
 * every page, and the primary colour as CSS custom properties in a second inline `<style>`
 * that the page policy allows by its hash. Built once per server from the validated settings.
 */
export interface Brand {
  readonly name?: string;
  /** An https URL or a path on this server (validated by packages/config). */
  readonly logoUrl?: string;
  /** `:root` custom properties overriding the stylesheet's accent colours. */
  readonly style?: SafeHtml;
  /** CSP hash source of `style`. */
  readonly styleHash?: string;
}

/** WCAG 2.2 1.4.3 (text, AA) and 1.4.11 (focus rings and other non-text parts, AA). */
const TEXT_CONTRAST = 4.5;
const NON_TEXT_CONTRAST = 3;

/** The page's brand from the settings; no settings, no brand (the built-in look). */
export function brandFromConfig(
  config: Pick<Config, 'brandName' | 'brandLogoUrl' | 'brandPrimaryColor'>,
): Brand {
  const colour = config.brandPrimaryColor;
  const style = colour ? brandStyle(colour) : undefined;
  return {
    ...(config.brandName ? { name: config.brandName } : {}),
    ...(config.brandLogoUrl ? { logoUrl: config.brandLogoUrl } : {}),
    ...(style ? { style, styleHash: cspHash(style.toString()) } : {}),
  };
}

/**
 * The colour on buttons (with black or white text, whichever reads better), and, per colour
 * scheme, on links and focus rings only where it contrasts enough with the card behind them;
 * where it does not, links take the text colour and rings the muted one, so a pale or a dark
 * brand colour never makes text unreadable in one of the schemes.
 */
export function brandStyle(colour: string): SafeHtml {
  const onAccent = textOn(colour);
  // Hover moves away from the text colour, so the label keeps (and gains) contrast.
  const hover = mix(colour, onAccent === '#ffffff' ? '#000000' : '#ffffff', 0.18);
  const scheme = (palette: { readonly card: string; readonly text: string }) => {
    const link = contrastRatio(colour, palette.card) >= TEXT_CONTRAST ? colour : palette.text;
    const focus = contrastRatio(colour, palette.card) >= NON_TEXT_CONTRAST ? colour : palette.text;
    return `--accent: ${colour}; --accent-hover: ${hover}; --on-accent: ${onAccent}; --link: ${link}; --focus: ${focus};`;
  };
  return html`:root { ${scheme(PALETTE.light)} }
@media (prefers-color-scheme: dark) { :root { ${scheme(PALETTE.dark)} } }`;
}
