import { badRequest } from "./errors";
import { modelByLogicalName, propertyOf, type TableModel } from "./model";
import type { FilterNode, Literal, Operand, PropertyPath } from "./odataFilter";
import type { OrderBy } from "./queryOptions";
import type { CellValue, Row, Store } from "./store";
import { cellToJson, isEntityRef } from "./values";

/** Evaluates parsed $filter/$orderby against stored rows with Dataverse (SQL) semantics. */

type Scalar = string | number | boolean | null;

function propertyValue(store: Store, model: TableModel, row: Row, path: PropertyPath): Scalar {
  const [first, second] = path.path;
  if (first === undefined) return null;
  if (second === undefined) {
    const column = propertyOf(model, first);
    return cellToJson(column, row[column.logicalName]);
  }
  const nav = model.single.get(first)?.[0];
  if (!nav) throw badRequest(`Could not find a navigation property named '${first}'.`);
  const ref: CellValue | undefined = row[nav.column.logicalName];
  if (!isEntityRef(ref)) return null;
  const target = store.get(ref.table, ref.id);
  if (!target) return null;
  // A polymorphic lookup may point at a table without this column (an owner team has no fullname): no match.
  const column = modelByLogicalName(ref.table).properties.get(second);
  return column ? cellToJson(column, target[column.logicalName]) : null;
}

function literalValue(lit: Literal): Scalar {
  return lit.value;
}

function operandValue(store: Store, model: TableModel, row: Row, operand: Operand): Scalar {
  return operand.kind === "literal" ? literalValue(operand) : propertyValue(store, model, row, operand);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T/;

/** Normalises both sides so that comparison is meaningful: case-insensitive text, instants as ms. */
function comparable(a: Scalar, b: Scalar): [string | number | boolean, string | number | boolean] | null {
  if (a === null || b === null) return null;
  if (typeof a === "string" && typeof b === "string") {
    if ((INSTANT.test(a) || DATE_ONLY.test(a)) && (INSTANT.test(b) || DATE_ONLY.test(b))) {
      if (DATE_ONLY.test(a) || DATE_ONLY.test(b)) return [a.slice(0, 10), b.slice(0, 10)];
      return [Date.parse(a), Date.parse(b)];
    }
    return [a.toLowerCase(), b.toLowerCase()];
  }
  return [a, b];
}

export function compareScalars(a: Scalar, b: Scalar): number {
  if (a === null && b === null) return 0;
  if (a === null) return -1; // NULLs sort first ascending, as in SQL Server.
  if (b === null) return 1;
  const pair = comparable(a, b);
  if (!pair) return 0;
  const [x, y] = pair;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function evaluateFilter(store: Store, model: TableModel, row: Row, node: FilterNode): boolean {
  switch (node.kind) {
    case "and":
      return evaluateFilter(store, model, row, node.left) && evaluateFilter(store, model, row, node.right);
    case "or":
      return evaluateFilter(store, model, row, node.left) || evaluateFilter(store, model, row, node.right);
    case "not":
      return !evaluateFilter(store, model, row, node.operand);
    case "function": {
      const value = propertyValue(store, model, row, node.property);
      if (typeof value !== "string") return false;
      const needle = String(node.value.value ?? "").toLowerCase();
      const hay = value.toLowerCase();
      if (node.name === "contains") return hay.includes(needle);
      if (node.name === "startswith") return hay.startsWith(needle);
      return hay.endsWith(needle);
    }
    case "compare": {
      const left = operandValue(store, model, row, node.left);
      const right = operandValue(store, model, row, node.right);
      if (left === null || right === null) {
        // "eq null"/"ne null" test for emptiness; any other comparison with NULL is false (SQL semantics).
        if (node.op === "eq") return left === right;
        if (node.op === "ne")
          return (
            (left === null) !== (right === null) &&
            (node.left.kind === "literal" || node.right.kind === "literal") &&
            (isNullLiteral(node.left) || isNullLiteral(node.right))
          );
        return false;
      }
      const c = compareScalars(left, right);
      switch (node.op) {
        case "eq":
          return c === 0;
        case "ne":
          return c !== 0;
        case "gt":
          return c > 0;
        case "ge":
          return c >= 0;
        case "lt":
          return c < 0;
        case "le":
          return c <= 0;
      }
    }
  }
}

function isNullLiteral(o: Operand): boolean {
  return o.kind === "literal" && o.type === "null";
}

/** $orderby, then the primary key so pages are stable. */
export function sortRows(model: TableModel, rows: Row[], orderBy: OrderBy[]): Row[] {
  const pk = model.table.primaryIdAttribute;
  const keys = orderBy.map((o) => ({ column: propertyOf(model, o.property), descending: o.descending }));
  return [...rows].sort((a, b) => {
    for (const { column, descending } of keys) {
      const c = compareScalars(cellToJson(column, a[column.logicalName]), cellToJson(column, b[column.logicalName]));
      if (c !== 0) return descending ? -c : c;
    }
    return String(a[pk]).localeCompare(String(b[pk]));
  });
}
