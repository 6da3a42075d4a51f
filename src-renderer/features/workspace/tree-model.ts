/** The file tree as rows: directories come from the files' paths, since a listing of files implies them. */
export interface TreeRow {
  path: string;
  name: string;
  depth: number;
  isDirectory: boolean;
  expanded: boolean;
}

interface Node {
  name: string;
  path: string;
  children: Map<string, Node> | null;
}

function insert(root: Node, path: string): void {
  const parts = path.split('/');
  let node = root;
  parts.forEach((part, index) => {
    const isLast = index === parts.length - 1;
    const children = (node.children ??= new Map());
    let child = children.get(part);
    if (!child) {
      child = { name: part, path: parts.slice(0, index + 1).join('/'), children: isLast ? null : new Map() };
      children.set(part, child);
    }
    node = child;
  });
}

/** Directories first, then files, each by name; directories are open unless collapsed. */
export function treeRows(paths: Iterable<string>, collapsed: ReadonlySet<string>): TreeRow[] {
  const root: Node = { name: '', path: '', children: new Map() };
  for (const path of paths) insert(root, path);
  const rows: TreeRow[] = [];
  const walk = (node: Node, depth: number) => {
    const children = [...(node.children?.values() ?? [])].sort(
      (a, b) => Number(b.children !== null) - Number(a.children !== null) || a.name.localeCompare(b.name),
    );
    for (const child of children) {
      const isDirectory = child.children !== null;
      const open = isDirectory && !collapsed.has(child.path);
      rows.push({ path: child.path, name: child.name, depth, isDirectory, expanded: open });
      if (open) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

/** The directories that hold a path, so that revealing a file opens its way down. */
export function parentsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}
