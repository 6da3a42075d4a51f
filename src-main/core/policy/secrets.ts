/**
 * Secret detection shared by the Dockerfile and Compose rules: names that say "this holds a secret", and
 * values that are one whatever their name (cloud keys, tokens, private keys, long random strings).
 */

const SECRET_WORDS =
  /(?:^|[_.-])(?:PASS(?:WORD|WD)?|SECRET|TOKEN|API[_.-]?KEY|ACCESS[_.-]?KEY|PRIVATE[_.-]?KEY|CREDENTIALS?|AUTH[_.-]?KEY|CLIENT[_.-]?SECRET)(?:$|[_.-])/i;
/** Names that point at a secret rather than hold it, or are about one without being it. */
const NOT_A_SECRET =
  /(?:[_.-](?:FILE|PATH|DIR|URL|URI|HOST|PORT|ENDPOINT|NAME|ID|TTL|EXPIRY|LENGTH|TYPE|HEADER|ENABLED))$/i;

export function isSecretName(name: string): boolean {
  return SECRET_WORDS.test(name) && !NOT_A_SECRET.test(name);
}

export interface SecretKind {
  kind: string;
  /** Where the secret starts in the value, and its length. */
  index: number;
  length: number;
}

const PATTERNS: Array<{ kind: string; re: RegExp }> = [
  { kind: 'an AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'a private key', re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY( BLOCK)?-----/ },
  { kind: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { kind: 'a Slack token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'a Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
];

/** Secret-looking values by their shape; the entropy check is left out where a value is code (RUN). */
export function findSecretValue(value: string, withEntropy = true): SecretKind | undefined {
  for (const { kind, re } of PATTERNS) {
    const m = re.exec(value);
    if (m) return { kind, index: m.index, length: m[0].length };
  }
  if (!withEntropy) return undefined;
  const token = /[A-Za-z0-9+/=_-]{24,}/g;
  for (let m = token.exec(value); m; m = token.exec(value)) {
    if (looksRandom(m[0])) return { kind: 'a high-entropy string', index: m.index, length: m[0].length };
  }
  return undefined;
}

/**
 * Random-looking: upper and lower case letters and digits, and at least 4.2 bits per character. Hex
 * digests (at most 4 bits), words, paths and version strings stay below that.
 */
function looksRandom(token: string): boolean {
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/\d/.test(token)) return false;
  if (/^[A-Za-z]+(?:[_-][A-Za-z]+)+$/.test(token)) return false;
  return entropy(token) >= 4.2;
}

export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
