/** Replaces every occurrence of each secret (client secret, tokens, codes) in text that may come from upstream. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would blank ordinary words; real secrets and tokens are long.
    if (secret !== undefined && secret.length >= 6) out = out.split(secret).join("[redacted]");
  }
  return out;
}
