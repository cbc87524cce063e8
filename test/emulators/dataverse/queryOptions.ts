import { badRequest } from "./errors";
import { filterProperties, parseFilter, type FilterNode, type PropertyPath } from "./odataFilter";
import { edmTypeOf, modelByLogicalName, propertyOf, type EdmType, type TableModel } from "./model";

/**
 * OData system query options ($select $filter $orderby $top $count $expand $skiptoken), parsed
 * and checked against the table so every mistake is a 400 that names the bad part.
 */

export interface OrderBy {
  property: string;
  descending: boolean;
}

export interface ExpandItem {
  navigation: string;
  options: QueryOptions;
}

export interface QueryOptions {
  select: string[] | null;
  filter: FilterNode | null;
  orderBy: OrderBy[];
  top: number | null;
  count: boolean;
  expand: ExpandItem[];
  skipToken: string | null;
}

const KNOWN = new Set([
  "$select",
  "$filter",
  "$orderby",
  "$top",
  "$count",
  "$expand",
  "$skiptoken",
  "$apply",
  "$skip",
  "$search",
  "$format",
]);

/** Splits on a separator outside parentheses and quotes. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted) {
      if (ch === "(") depth += 1;
      if (ch === ")") depth -= 1;
      if (depth < 0) throw badRequest(`Unbalanced parentheses in '${text}'.`);
      if (ch === separator && depth === 0) {
        parts.push(current);
        current = "";
        continue;
      }
    }
    current += ch;
  }
  if (depth !== 0) throw badRequest(`Unbalanced parentheses in '${text}'.`);
  if (quoted) throw badRequest(`Unterminated string literal in '${text}'.`);
  parts.push(current);
  return parts.map((p) => p.trim());
}

export function parseQueryOptions(params: ReadonlyMap<string, string>, nested = false): QueryOptions {
  const options: QueryOptions = {
    select: null,
    filter: null,
    orderBy: [],
    top: null,
    count: false,
    expand: [],
    skipToken: null,
  };
  for (const [name, raw] of params) {
    if (!name.startsWith("$")) {
      if (nested) throw badRequest(`The query option '${name}' is not supported inside $expand.`);
      continue; // Custom query options (and the webhook code) are ignored, as OData allows.
    }
    if (!KNOWN.has(name)) throw badRequest(`The query parameter '${name}' is not supported.`);
    switch (name) {
      case "$select": {
        const names = raw.split(",").map((s) => s.trim());
        if (names.some((n) => !n)) throw badRequest(`The $select query option '${raw}' has an empty property name.`);
        options.select = names;
        break;
      }
      case "$filter":
        options.filter = parseFilter(raw);
        break;
      case "$orderby":
        options.orderBy = raw.split(",").map((part) => {
          const [property, direction, ...extra] = part.trim().split(/\s+/);
          if (
            !property ||
            extra.length > 0 ||
            (direction !== undefined && direction !== "asc" && direction !== "desc")
          ) {
            throw badRequest(`Syntax error in $orderby '${raw}': expected 'property [asc|desc]'.`);
          }
          return { property, descending: direction === "desc" };
        });
        break;
      case "$top": {
        if (!/^\d+$/.test(raw))
          throw badRequest(
            `Invalid value '${raw}' for $top query option found. The $top query option requires a non-negative integer value.`,
          );
        options.top = Number(raw);
        break;
      }
      case "$count":
        if (raw !== "true" && raw !== "false") throw badRequest(`'${raw}' is not a valid count option.`);
        options.count = raw === "true";
        break;
      case "$expand":
        options.expand = splitTopLevel(raw, ",").map(parseExpandItem);
        break;
      case "$skiptoken":
        options.skipToken = raw;
        break;
      default:
        // $apply, $skip, $search, $format: valid OData the product does not use; the emulator says so plainly.
        throw badRequest(`The query option '${name}' is not supported by the Dataverse emulator.`);
    }
  }
  return options;
}

function parseExpandItem(text: string): ExpandItem {
  if (!text) throw badRequest("The $expand query option has an empty navigation property.");
  const open = text.indexOf("(");
  if (open === -1) return { navigation: text, options: parseQueryOptions(new Map(), true) };
  if (!text.endsWith(")")) throw badRequest(`Syntax error in $expand item '${text}'.`);
  const navigation = text.slice(0, open).trim();
  const inner = text.slice(open + 1, -1);
  const params = new Map<string, string>();
  for (const part of splitTopLevel(inner, ";")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    if (eq === -1) throw badRequest(`Syntax error in $expand options '${inner}' of '${navigation}'.`);
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return { navigation, options: parseQueryOptions(params, true) };
}

/** Type of a property path (`name`, `_x_value`, `nav/name`) or a 400 naming it. */
export function pathType(model: TableModel, path: PropertyPath): EdmType {
  const [first, second, ...rest] = path.path;
  if (first === undefined) throw badRequest("Empty property path.");
  if (second === undefined) return edmTypeOf(propertyOf(model, first));
  const navs = model.single.get(first);
  const nav = navs?.[0];
  if (!nav || rest.length > 0) {
    if (model.collections.has(first)) {
      throw badRequest(
        `The navigation property '${first}' is collection-valued; use any()/all() (not supported by the emulator).`,
      );
    }
    throw badRequest(
      `Could not find a navigation property named '${first}' on type 'Microsoft.Dynamics.CRM.${model.table.logicalName}'.`,
    );
  }
  return edmTypeOf(propertyOf(modelByLogicalName(nav.targetTable), second));
}

/** Checks every name in the options against the table; throws the first problem as a 400. */
export function validateOptions(model: TableModel, options: QueryOptions, collection: boolean): void {
  for (const name of options.select ?? []) propertyOf(model, name);
  if (options.filter) {
    for (const path of filterProperties(options.filter)) pathType(model, path);
    checkFilterTypes(model, options.filter);
  }
  for (const o of options.orderBy) propertyOf(model, o.property);
  if (!collection && (options.filter || options.orderBy.length || options.top !== null)) {
    throw badRequest("Query options $filter, $orderby and $top are only allowed on a collection.");
  }
  for (const item of options.expand) {
    const single = model.single.get(item.navigation);
    const coll = model.collections.get(item.navigation);
    if (!single && !coll) {
      throw badRequest(
        `Could not find a property named '${item.navigation}' on type 'Microsoft.Dynamics.CRM.${model.table.logicalName}'.`,
      );
    }
    if (single) {
      const target = single[0];
      if (!target) continue;
      if (item.options.filter || item.options.orderBy.length || item.options.top !== null) {
        throw badRequest(
          `Options $filter, $orderby and $top are not allowed on the single-valued navigation property '${item.navigation}'.`,
        );
      }
      validateOptions(modelByLogicalName(target.targetTable), item.options, false);
    } else if (coll) {
      const other = coll.kind === "oneToMany" ? coll.referencingTable : coll.otherTable;
      validateOptions(modelByLogicalName(other), item.options, true);
    }
  }
}

const OPERATOR_KIND: Record<string, string> = {
  eq: "Equal",
  ne: "NotEqual",
  gt: "GreaterThan",
  ge: "GreaterThanOrEqual",
  lt: "LessThan",
  le: "LessThanOrEqual",
};

function literalEdm(type: string): EdmType | "null" {
  switch (type) {
    case "string":
      return "Edm.String";
    case "number":
      return "Edm.Int32";
    case "guid":
      return "Edm.Guid";
    case "datetime":
      return "Edm.DateTimeOffset";
    case "date":
      return "Edm.Date";
    case "boolean":
      return "Edm.Boolean";
    default:
      return "null";
  }
}

const NUMERIC = new Set<string>(["Edm.Int32", "Edm.Int64", "Edm.Decimal"]);
const TEMPORAL = new Set<string>(["Edm.Date", "Edm.DateTimeOffset"]);

function compatible(a: string, b: string): boolean {
  if (a === "null" || b === "null" || a === b) return true;
  if (NUMERIC.has(a) && NUMERIC.has(b)) return true;
  return TEMPORAL.has(a) && TEMPORAL.has(b);
}

function checkFilterTypes(model: TableModel, node: FilterNode): void {
  switch (node.kind) {
    case "and":
    case "or":
      checkFilterTypes(model, node.left);
      checkFilterTypes(model, node.right);
      return;
    case "not":
      checkFilterTypes(model, node.operand);
      return;
    case "function": {
      const type = pathType(model, node.property);
      if (type !== "Edm.String") {
        throw badRequest(
          `No function signature for the function with name '${node.name}' matches the specified arguments. The function signatures considered are: ${node.name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
        );
      }
      return;
    }
    case "compare": {
      const left = node.left.kind === "property" ? pathType(model, node.left) : literalEdm(node.left.type);
      const right = node.right.kind === "property" ? pathType(model, node.right) : literalEdm(node.right.type);
      if (!compatible(left, right)) {
        throw badRequest(
          `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${OPERATOR_KIND[node.op] ?? node.op}'.`,
        );
      }
      if (left === "Edm.Boolean" && node.op !== "eq" && node.op !== "ne") {
        throw badRequest(`The operator '${node.op}' is not valid for 'Edm.Boolean' operands.`);
      }
    }
  }
}
