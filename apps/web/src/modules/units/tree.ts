import type { Unit } from '../../kit/types';

export interface UnitNode extends Unit {
  children?: UnitNode[];
  depth: number;
}

/** Builds the unit tree from the flat list; orphans (parent unknown) become roots. */
export function buildUnitTree(units: readonly Unit[]): UnitNode[] {
  const byId = new Map<string, UnitNode>();
  for (const u of units) byId.set(u.id, { ...u, depth: 0 });
  const roots: UnitNode[] = [];
  for (const n of byId.values()) {
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    if (parent) (parent.children ??= []).push(n);
    else roots.push(n);
  }
  const sort = (list: UnitNode[], depth: number) => {
    list.sort((a, b) => Number(a.closedAt !== null) - Number(b.closedAt !== null) || a.name.localeCompare(b.name, 'vi'));
    for (const n of list) {
      n.depth = depth;
      if (n.children) sort(n.children, depth + 1);
    }
  };
  sort(roots, 0);
  return roots;
}

/** The ids of a unit and everything below it. */
export function subtreeIds(units: readonly Unit[], rootId: string): Set<string> {
  const out = new Set<string>([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) {
      if (u.parentId && out.has(u.parentId) && !out.has(u.id)) {
        out.add(u.id);
        grew = true;
      }
    }
  }
  return out;
}

export interface UnitTreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children?: UnitTreeOption[];
}

/** Options for an antd TreeSelect; closed units and `exclude` are not selectable. */
export function unitTreeOptions(nodes: readonly UnitNode[], exclude: ReadonlySet<string> = new Set(), includeClosed = false): UnitTreeOption[] {
  const out: UnitTreeOption[] = [];
  for (const n of nodes) {
    if (n.closedAt && !includeClosed) continue;
    const children = n.children ? unitTreeOptions(n.children, exclude, includeClosed) : [];
    out.push({
      value: n.id,
      title: `${n.name} (${n.code})`,
      disabled: exclude.has(n.id) || n.closedAt !== null,
      ...(children.length > 0 ? { children } : {}),
    });
  }
  return out;
}
