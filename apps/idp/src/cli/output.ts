/** Renders rows as a left-aligned text table with a header, for list commands. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** ISO time to the second, or a dash. */
export function when(ms: number | null | undefined): string {
  return ms === null || ms === undefined
    ? '-'
    : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
