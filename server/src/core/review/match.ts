// Pairs the items of two snapshots (deploys, tokens, findings) in stages: the first stage by the strictest key
// (same file, same place), later ones by looser keys (same Worker, same token address or name) for what was
// moved or renamed. Within a stage, items with the same key pair in order; an item pairs at most once.

export interface Stage<T> {
  /** Shown as how a pair was matched ("same Worker"). */
  name: string;
  key(item: T): string | undefined;
}

export interface Matched<T> {
  pairs: { base: T; head: T; stage: string }[];
  baseOnly: T[];
  headOnly: T[];
}

export function matchStaged<T>(base: T[], head: T[], stages: Stage<T>[]): Matched<T> {
  let restBase = base.slice();
  let restHead = head.slice();
  const pairs: Matched<T>["pairs"] = [];
  for (const stage of stages) {
    const byKey = new Map<string, T[]>();
    for (const h of restHead) {
      const k = stage.key(h);
      if (k === undefined) continue;
      const list = byKey.get(k);
      if (list) list.push(h);
      else byKey.set(k, [h]);
    }
    const used = new Set<T>();
    const leftBase: T[] = [];
    for (const b of restBase) {
      const k = stage.key(b);
      const h = k === undefined ? undefined : byKey.get(k)?.shift();
      if (h === undefined) leftBase.push(b);
      else {
        used.add(h);
        pairs.push({ base: b, head: h, stage: stage.name });
      }
    }
    restBase = leftBase;
    restHead = restHead.filter((h) => !used.has(h));
  }
  return { pairs, baseOnly: restBase, headOnly: restHead };
}
