/**
 * One slice of an ordered list for admin screens and APIs: the items after the cursor `after`
 * (the sort key of the last item of the previous slice; absent for the first slice) that match
 * `search`, at most `limit` of them. Keyset paging, so a slice never repeats or skips an item
 * because others were added or removed before it.
 */
export interface PageQuery {
  readonly after?: string;
  readonly search?: string;
  readonly limit: number;
}

/** Whether `text` contains `search`, ASCII letters compared case-insensitively (as the stores do). */
export function matchesSearch(search: string | undefined, ...texts: string[]): boolean {
  if (search === undefined || search === '') return true;
  const wanted = asciiLower(search);
  return texts.some((text) => asciiLower(text).includes(wanted));
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
