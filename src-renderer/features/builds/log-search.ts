/** Search over what the terminal holds, row by row (no search addon: the buffer is ours to read). */
export interface BufferLike {
  readonly length: number;
  getLine(row: number): { translateToString(trimRight?: boolean): string } | undefined;
}

export interface LogMatch {
  row: number;
  column: number;
  length: number;
}

/** Every match of `query` (case-insensitive), in order; capped, since a count beyond it helps nobody. */
export function findAll(buffer: BufferLike, query: string, cap = 10_000): LogMatch[] {
  const needle = query.toLowerCase();
  if (!needle) return [];
  const found: LogMatch[] = [];
  for (let row = 0; row < buffer.length && found.length < cap; row++) {
    const text = buffer.getLine(row)?.translateToString(true).toLowerCase() ?? '';
    for (let column = text.indexOf(needle); column >= 0; column = text.indexOf(needle, column + needle.length)) {
      found.push({ row, column, length: needle.length });
    }
  }
  return found;
}
