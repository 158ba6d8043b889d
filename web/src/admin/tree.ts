/** A row with its children, for units and agencies (both come from the API as flat lists with parentId). */
export type TreeNode<T> = { item: T; children: TreeNode<T>[] };

type Treeable = { id: string; parentId: string | null };

/** Builds the forest in the list's order; rows whose parent is not in the list become roots. */
export function buildTree<T extends Treeable>(rows: readonly T[]): TreeNode<T>[] {
  const nodes = new Map(rows.map((r) => [r.id, { item: r, children: [] as TreeNode<T>[] }]));
  const roots: TreeNode<T>[] = [];
  for (const node of nodes.values()) {
    const parent = node.item.parentId ? nodes.get(node.item.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The ids of a row and everything below it (a unit cannot be moved under itself or its descendants). */
export function subtreeIds<T extends Treeable>(rows: readonly T[], rootId: string): Set<string> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) {
      if (r.parentId && ids.has(r.parentId) && !ids.has(r.id)) {
        ids.add(r.id);
        grew = true;
      }
    }
  }
  return ids;
}

/** Select options for a tree, in tree order, with the depth shown by indentation. */
export function treeOptions<T extends Treeable & { name: string }>(rows: readonly T[], exclude: Set<string> = new Set()): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const walk = (nodes: TreeNode<T>[], depth: number) => {
    for (const n of nodes) {
      if (exclude.has(n.item.id)) continue;
      out.push({ value: n.item.id, label: `${'\u2003'.repeat(depth)}${n.item.name}` });
      walk(n.children, depth + 1);
    }
  };
  walk(buildTree(rows), 0);
  return out;
}
