const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DURATION = /^(\d+)\s*(s|m|h|d)?$/;

/**
 * Parses a duration such as `90`, `30s`, `10m`, `1h` or `14d` into whole seconds.
 * A bare number is seconds. Returns `undefined` for anything else, so that the caller can
 * report the problem against the variable that held it.
 */
export function parseDurationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 's') as keyof typeof UNIT_SECONDS;
  return Number(match[1]) * UNIT_SECONDS[unit];
}

/** Formats whole seconds back into the largest exact unit, for messages and docs. */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    const size = UNIT_SECONDS[unit];
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
