import { isLookup, type ColumnDefinition } from "../../../solution/schema";
import { modelByLogicalName, webApiPropertyName, type TableModel } from "./model";
import type { ExpandItem, QueryOptions } from "./queryOptions";
import { evaluateFilter, sortRows } from "./evaluate";
import type { Row, Store } from "./store";
import { cellToJson, formattedValue, isEntityRef, type CurrencyFormat, type Language } from "./values";

/** Rows as the Web API returns them: @odata.etag, selected properties, annotations, expansions. */

export const FORMATTED = "OData.Community.Display.V1.FormattedValue";
export const LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname";
export const NAVIGATION_PROPERTY = "Microsoft.Dynamics.CRM.associatednavigationproperty";

/** Which annotations the Prefer header asked for: "*", "ns.*" or a list of names. */
export function annotationMatcher(prefer: string | null): (name: string) => boolean {
  if (!prefer) return () => false;
  const patterns = prefer
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith("-"));
  return (name) =>
    patterns.some((p) => p === "*" || p === name || (p.endsWith(".*") && name.startsWith(p.slice(0, -1))));
}

export interface RenderContext {
  store: Store;
  language: Language;
  annotations: (name: string) => boolean;
}

export function etagOf(row: Row): string {
  return `W/"${String(row.versionnumber ?? 0)}"`;
}

function currencyOf(ctx: RenderContext, row: Row): CurrencyFormat | null {
  let ref = row.transactioncurrencyid;
  if (!isEntityRef(ref)) {
    const org = Object.values(ctx.store.data.tables.organization ?? {})[0];
    ref = org?.basecurrencyid ?? null;
  }
  if (!isEntityRef(ref)) return null;
  const currency = ctx.store.get("transactioncurrency", ref.id);
  if (!currency) return null;
  return { symbol: String(currency.currencysymbol ?? ""), precision: Number(currency.currencyprecision ?? 2) };
}

export function primaryName(store: Store, table: string, id: string): string | null {
  const model = modelByLogicalName(table);
  const row = store.get(table, id);
  const value = row?.[model.table.primaryNameAttribute];
  return typeof value === "string" ? value : null;
}

function putProperty(ctx: RenderContext, out: Record<string, unknown>, column: ColumnDefinition, row: Row): void {
  const name = webApiPropertyName(column);
  const value = row[column.logicalName];
  if (isLookup(column)) {
    if (isEntityRef(value)) {
      const nav = column.targets.find((t) => t.table === value.table);
      if (ctx.annotations(FORMATTED)) {
        const label = primaryName(ctx.store, value.table, value.id);
        if (label !== null) out[`${name}@${FORMATTED}`] = label;
      }
      if (ctx.annotations(NAVIGATION_PROPERTY) && nav) out[`${name}@${NAVIGATION_PROPERTY}`] = nav.navigationProperty;
      if (ctx.annotations(LOOKUP_LOGICAL_NAME)) out[`${name}@${LOOKUP_LOGICAL_NAME}`] = value.table;
    }
  } else if (ctx.annotations(FORMATTED)) {
    const formatted = formattedValue(
      column,
      value,
      ctx.language,
      column.type === "money" ? currencyOf(ctx, row) : null,
    );
    if (formatted !== null) out[`${name}@${FORMATTED}`] = formatted;
  }
  out[name] = cellToJson(column, value);
}

export function renderRow(
  ctx: RenderContext,
  model: TableModel,
  row: Row,
  options: Pick<QueryOptions, "select" | "expand">,
): Record<string, unknown> {
  const out: Record<string, unknown> = { "@odata.etag": etagOf(row) };
  const names = options.select ?? [...model.properties.keys()];
  const columns = names.map((n) => model.properties.get(n)).filter((c): c is ColumnDefinition => c !== undefined);
  const primary = model.properties.get(model.table.primaryIdAttribute);
  if (primary && !columns.includes(primary)) columns.push(primary);
  for (const column of columns) {
    // authvalue is write-only on the platform.
    if (model.table.logicalName === "serviceendpoint" && column.logicalName === "authvalue") continue;
    putProperty(ctx, out, column, row);
  }
  for (const item of options.expand) out[item.navigation] = renderExpansion(ctx, model, row, item);
  return out;
}

function renderExpansion(ctx: RenderContext, model: TableModel, row: Row, item: ExpandItem): unknown {
  const single = model.single.get(item.navigation);
  if (single) {
    const first = single[0];
    if (!first) return null;
    const value = row[first.column.logicalName];
    if (!isEntityRef(value)) return null;
    const nav = single.find((n) => n.targetTable === value.table);
    if (!nav) return null;
    const target = ctx.store.get(value.table, value.id);
    if (!target) return null;
    return renderRow(ctx, modelByLogicalName(value.table), target, item.options);
  }
  const coll = model.collections.get(item.navigation);
  if (!coll) return null;
  const id = String(row[model.table.primaryIdAttribute]);
  const related = relatedRows(ctx.store, coll, id);
  const relatedModel = modelByLogicalName(coll.kind === "oneToMany" ? coll.referencingTable : coll.otherTable);
  let rows = item.options.filter
    ? related.filter((r) => evaluateFilter(ctx.store, relatedModel, r, item.options.filter!))
    : related;
  rows = sortRows(relatedModel, rows, item.options.orderBy);
  if (item.options.top !== null) rows = rows.slice(0, item.options.top);
  return rows.map((r) => renderRow(ctx, relatedModel, r, item.options));
}

export function relatedRows(
  store: Store,
  coll: NonNullable<ReturnType<TableModel["collections"]["get"]>>,
  id: string,
): Row[] {
  if (coll.kind === "oneToMany") {
    const other = modelByLogicalName(coll.referencingTable);
    return store.rows(other.table).filter((r) => {
      const ref = r[coll.referencingColumn];
      return isEntityRef(ref) && ref.id === id.toLowerCase();
    });
  }
  const pairs = coll.thisIsTable1
    ? store.linked(coll.relationship.schemaName, id, null)
    : store.linked(coll.relationship.schemaName, null, id);
  return pairs
    .map(([a, b]) => store.get(coll.otherTable, coll.thisIsTable1 ? b : a))
    .filter((r): r is Row => r !== undefined);
}
