/** `sha256:0123456789ab…` → `0123456789ab`, the short form `docker images` shows. */
export function shortDigest(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1, digest.indexOf(':') + 13);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Reproducible builds stamp the epoch: say so rather than show 1970. */
export function formatCreated(created: string | undefined): string {
  if (!created) return '—';
  if (created.startsWith('1970-01-01')) return 'reproducible (epoch)';
  return created.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}
