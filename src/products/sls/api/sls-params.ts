/** Row timestamps are stored in milliseconds (like every other table); SLS shows Unix seconds. */
export function toUnixSeconds(stored: number): number {
  return stored > 100_000_000_000 ? Math.floor(stored / 1000) : stored;
}
