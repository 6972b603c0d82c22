// The tree-sitter nodes the HCL conversion reads: a plain copy of one top-level item's subtree, read with a tree
// cursor. A web-tree-sitter Node answers every `type`, `endIndex` and `isNamed` with a call into the wasm module,
// and its children arrays are new Node objects cached on the parent, so converting a 1 MB file through Nodes kept
// every node of the tree alive to the end and asked the module the same things many times. A copy asks once per
// node, allocates no Node objects, and each item's copy is dropped as soon as the item is converted.
import type { Language, Node as TsNode, TreeCursor } from "web-tree-sitter";

const NO_CHILDREN: readonly HclNode[] = Object.freeze([]);

/** One tree's source text and the names and named-ness of its node types (the same for every node of a type). */
export class NodeTable {
  private readonly namedTypes: (boolean | undefined)[] = [];
  constructor(
    readonly text: string,
    private readonly language: Language,
  ) {}

  typeName(id: number): string {
    // As web-tree-sitter's Node.type: a type without a name is an error node.
    return this.language.types[id] || "ERROR";
  }

  isNamed(id: number): boolean {
    let named = this.namedTypes[id];
    if (named === undefined) this.namedTypes[id] = named = this.language.nodeTypeIsNamed(id);
    return named;
  }

  fieldName(id: number): string | undefined {
    return this.language.fields[id] ?? undefined;
  }
}

export class HclNode {
  /**
   * The children the conversion reads: all but comments under expressions and operations (parentheses and
   * operators are tokens), the named ones but comments elsewhere.
   */
  children: readonly HclNode[] = NO_CHILDREN;
  private namedKids: readonly HclNode[] | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    /** The grammar field the node is in, read only for the children of nodes that have fields the conversion uses. */
    readonly fieldName: string | undefined,
    private readonly table: NodeTable,
  ) {}

  get text(): string {
    return this.table.text.slice(this.startIndex, this.endIndex);
  }

  /** The named children other than comments. */
  get named(): readonly HclNode[] {
    if (this.children.length === 0) return NO_CHILDREN;
    return (this.namedKids ??= this.children.filter((c) => c.isNamed && c.type !== "comment"));
  }

  /** The first child in a grammar field. */
  field(name: string): HclNode | undefined {
    return this.children.find((c) => c.fieldName === name);
  }
}

/** Node types whose children's fields the conversion reads. */
const WITH_FIELDS = new Set(["object_elem"]);

/**
 * Node types the conversion reads only the type, span or text of: copied without their children (a 1 MB file
 * has some 200,000 of them; each child costs several wasm calls). Anonymous nodes are tokens, without children.
 */
const LEAVES = new Set([
  "identifier",
  "numeric_lit",
  "bool_lit",
  "null_lit",
  "comment",
  "template_literal",
  "quoted_template_start",
  "quoted_template_end",
  "template_interpolation_start",
  "template_interpolation_end",
  "template_directive_start",
  "template_directive_end",
  "heredoc_identifier",
  "block_start",
  "block_end",
  "object_start",
  "object_end",
  "tuple_start",
  "tuple_end",
]);

/** Node types whose anonymous children (parentheses, operators) the conversion reads; elsewhere they are left out. */
const WITH_TOKENS = new Set(["expression", "unary_operation", "binary_operation"]);

/** Reads a node's subtree with one cursor (reset to the node). */
export function copyNode(node: TsNode, cursor: TreeCursor, table: NodeTable): HclNode {
  cursor.reset(node);
  return copyCurrent(cursor, table, cursor.nodeTypeId, undefined);
}

function copyCurrent(c: TreeCursor, table: NodeTable, id: number, fieldName: string | undefined): HclNode {
  const type = table.typeName(id);
  const named = table.isNamed(id);
  const n = new HclNode(type, named, c.startIndex, c.endIndex, fieldName, table);
  if (named && !LEAVES.has(type) && c.gotoFirstChild()) {
    const fields = WITH_FIELDS.has(type);
    const tokens = WITH_TOKENS.has(type);
    const kids: HclNode[] = [];
    do {
      // Comments, and tokens where they are not read, are left out (the conversion skips them).
      const kid = c.nodeTypeId;
      if ((tokens || table.isNamed(kid)) && table.typeName(kid) !== "comment")
        kids.push(copyCurrent(c, table, kid, fields ? table.fieldName(c.currentFieldId) : undefined));
    } while (c.gotoNextSibling());
    c.gotoParent();
    n.children = kids;
  }
  return n;
}
