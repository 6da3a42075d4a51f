/** The build cache limit is entered in MiB or GiB; the engine takes bytes. */
export type SizeUnit = 'MiB' | 'GiB';

const UNIT_BYTES: Record<SizeUnit, number> = { MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** Bytes for an entered amount, or undefined when the text is not a non-negative number. */
export function toBytes(amount: string, unit: SizeUnit): number | undefined {
  if (amount.trim() === '') return undefined;
  const value = Number(amount);
  if (!Number.isFinite(value) || value < 0) return undefined;
  return Math.round(value * UNIT_BYTES[unit]);
}

/** GiB when the limit is a whole number of them, else MiB (rounded to two decimals). */
export function fromBytes(bytes: number): { amount: string; unit: SizeUnit } {
  if (bytes > 0 && bytes % UNIT_BYTES.GiB === 0) return { amount: String(bytes / UNIT_BYTES.GiB), unit: 'GiB' };
  return { amount: String(Math.round((bytes / UNIT_BYTES.MiB) * 100) / 100), unit: 'MiB' };
}
