/** `1 repository`, `2 repositories`: counts read as English, whatever the number. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
