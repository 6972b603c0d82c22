// Which zone a route pattern belongs to: the host of the pattern and the zone name wrangler most likely resolves.

export function hostOf(pattern: string): string {
  let p = pattern.replace(/^[a-z]+:\/\//i, "");
  const slash = p.indexOf("/");
  if (slash >= 0) p = p.slice(0, slash);
  p = p.replace(/:\d+$/, "");
  return p.replace(/^\*\.?/, "");
}

/** Second-level labels that, under a two-letter country TLD, form a public suffix (example.co.uk, example.com.au). */
const COUNTRY_SECOND_LEVEL = new Set(["co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go"]);

/**
 * The zone name wrangler most likely resolves for a host: its registrable domain (last two labels, or three under
 * a country suffix such as co.uk). wrangler itself tries the full host first and strips labels from the left.
 */
export function guessZoneName(host: string): string {
  const labels = host.split(".").filter(Boolean);
  const n = labels.length;
  const countrySuffix = n >= 3 && labels[n - 1]!.length === 2 && COUNTRY_SECOND_LEVEL.has(labels[n - 2]!.toLowerCase());
  return labels.slice(countrySuffix ? -3 : -2).join(".");
}
