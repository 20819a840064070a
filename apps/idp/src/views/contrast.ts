// Colour arithmetic of WCAG 2.2: relative luminance (the sRGB formula of its definitions) and
// the contrast ratio (L1 + 0.05) / (L2 + 0.05). Colours are `#rrggbb`.

/** WCAG 2.2 relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.2 contrast ratio of two colours, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever contrasts more with `background`: the text colour on a button. */
export function textOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff')
    ? '#000000'
    : '#ffffff';
}

/** `hex` moved `amount` (0 to 1) of the way towards `target`, channel by channel. */
export function mix(hex: string, target: string, amount: number): string {
  return `#${[1, 3, 5]
    .map((at) => {
      const from = Number.parseInt(hex.slice(at, at + 2), 16);
      const to = Number.parseInt(target.slice(at, at + 2), 16);
      return Math.round(from + (to - from) * amount)
        .toString(16)
        .padStart(2, '0');
    })
    .join('')}`;
}
