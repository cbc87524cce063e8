import { badRequest } from "./apiError";
import { dateTimeKey } from "./timestamps";

/**
 * The slice of OData v4 the Referrals list documents: $filter on a few fields with eq/ne/gt/ge/lt/le joined by
 * `and`, $orderby on createdDateTime/updatedDateTime, $top, $skip, and server paging with $skiptoken in
 * @odata.nextLink. Anything else is answered 400 naming the offending part, as the real service refuses
 * queries it cannot run.
 */

export type Referral = Record<string, unknown>;

type Op = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
interface Comparison {
  field: FilterField;
  op: Op;
  value: string;
}

/** Documented filter fields (get-a-list-of-referrals 2019 + current examples) and how to read them. */
const FIELDS = {
  status: (r: Referral) => r.status,
  substatus: (r: Referral) => r.substatus,
  engagementId: (r: Referral) => r.engagementId,
  externalReferenceId: (r: Referral) => r.externalReferenceId,
  updatedDateTime: (r: Referral) => r.updatedDateTime,
  createdDateTime: (r: Referral) => r.createdDateTime,
  qualification: (r: Referral) => r.qualification,
  direction: (r: Referral) => r.direction,
  "customerProfile/address/country": (r: Referral) =>
    ((r.customerProfile as Referral | undefined)?.address as Referral | undefined)?.country,
  // "email": a member of the referral's team.
  email: (r: Referral) => (Array.isArray(r.team) ? r.team.map((m: Referral) => m?.email) : []),
} as const;
type FilterField = keyof typeof FIELDS;
const DATE_FIELDS: ReadonlySet<string> = new Set(["updatedDateTime", "createdDateTime"]);

const COMPARISON =
  /^\s*([A-Za-z/]+)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))\s*$/;

export function parseFilter(filter: string | undefined): Comparison[] {
  if (filter === undefined || filter.trim() === "") return [];
  if (/\s+or\s+/i.test(filter.replace(/'(?:[^']|'')*'/g, "''"))) {
    throw badRequest("$filter: 'or' is not supported; combine conditions with 'and'", "$filter");
  }
  return filter.split(/\s+and\s+(?=(?:[^']*'[^']*')*[^']*$)/).map((clause) => {
    const m = COMPARISON.exec(clause);
    if (!m) throw badRequest(`$filter: cannot parse "${clause.trim()}"`, "$filter");
    const [, field, op, literal] = m as unknown as [string, string, Op, string];
    if (!(field in FIELDS)) {
      throw badRequest(`$filter: ${field} is not filterable; use one of ${Object.keys(FIELDS).join(", ")}`, "$filter");
    }
    const isString = literal.startsWith("'");
    const value = isString ? literal.slice(1, -1).replace(/''/g, "'") : literal;
    if (DATE_FIELDS.has(field)) {
      const key = dateTimeKey(value);
      if (key === null) throw badRequest(`$filter: ${value} is not a DateTimeOffset`, "$filter");
      return { field: field as FilterField, op, value: key };
    }
    if (!isString) throw badRequest(`$filter: ${field} must be compared with a quoted string`, "$filter");
    if (op !== "eq" && op !== "ne") throw badRequest(`$filter: ${field} supports only eq and ne`, "$filter");
    return { field: field as FilterField, op, value };
  });
}

function compare(actual: unknown, op: Op, expected: string, isDate: boolean): boolean {
  if (Array.isArray(actual))
    return op === "ne" ? !actual.includes(expected) : actual.some((a) => compare(a, op, expected, isDate));
  if (typeof actual !== "string") return op === "ne";
  const a = isDate ? dateTimeKey(actual) : actual;
  if (a === null) return false;
  switch (op) {
    case "eq":
      return isDate ? a === expected : a.toLowerCase() === expected.toLowerCase();
    case "ne":
      return isDate ? a !== expected : a.toLowerCase() !== expected.toLowerCase();
    case "gt":
      return a > expected;
    case "ge":
      return a >= expected;
    case "lt":
      return a < expected;
    case "le":
      return a <= expected;
  }
}

export function matches(r: Referral, filter: Comparison[]): boolean {
  return filter.every((c) => compare(FIELDS[c.field](r), c.op, c.value, DATE_FIELDS.has(c.field)));
}

export interface OrderBy {
  field: "createdDateTime" | "updatedDateTime";
  desc: boolean;
}

export function parseOrderBy(orderby: string | undefined): OrderBy {
  if (orderby === undefined || orderby.trim() === "") return { field: "createdDateTime", desc: false };
  const m = /^\s*(createdDateTime|updatedDateTime)(?:\s+(asc|desc))?\s*$/.exec(orderby);
  if (!m) throw badRequest("$orderby: use createdDateTime or updatedDateTime, optionally asc or desc", "$orderby");
  return { field: m[1] as OrderBy["field"], desc: m[2] === "desc" };
}

/** Sort key: the timestamp, then the id, so paging by key never skips or repeats ties. */
function keyOf(r: Referral, order: OrderBy): [string, string] {
  return [dateTimeKey(String(r[order.field] ?? "")) ?? "", String(r.id)];
}

function cmpKeys(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** What a $skiptoken carries: where the previous page ended and how many of $top are left. */
interface SkipToken {
  k: [string, string];
  left: number | null;
  /** The $orderby the token was issued under: keys only make sense in that order. */
  o: string;
}

/** Standard base64 (with + / =), as the docs' example token is: it must be %-encoded in the link. */
export function encodeSkipToken(t: SkipToken): string {
  return Buffer.from(JSON.stringify(t)).toString("base64");
}

function decodeSkipToken(token: string): SkipToken {
  try {
    const t = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as SkipToken;
    if (
      Array.isArray(t.k) &&
      t.k.length === 2 &&
      t.k.every((x) => typeof x === "string") &&
      (t.left === null || (Number.isInteger(t.left) && t.left > 0)) &&
      typeof t.o === "string"
    ) {
      return t;
    }
  } catch {
    // fall through
  }
  throw badRequest("$skiptoken is not one this service issued", "$skiptoken");
}

export interface ListQuery {
  $filter?: string;
  $orderby?: string;
  $top?: number;
  $skip?: number;
  $skiptoken?: string;
}

export interface ListPage {
  items: Referral[];
  count: number;
  next: SkipToken | null;
}

/**
 * One page. Paging is by key (the last sort key seen), so referrals created or updated while a client pages
 * are neither repeated nor lost among those that did not change.
 */
export function listPage(all: Iterable<Referral>, q: ListQuery, pageSize: number): ListPage {
  const filter = parseFilter(q.$filter);
  const order = parseOrderBy(q.$orderby);
  const sign = order.desc ? -1 : 1;
  const matching = [...all].filter((r) => matches(r, filter));
  matching.sort((a, b) => sign * cmpKeys(keyOf(a, order), keyOf(b, order)));
  let rest = matching;
  let left: number | null = q.$top ?? null;
  if (q.$skiptoken !== undefined) {
    const token = decodeSkipToken(q.$skiptoken);
    if (token.o !== `${order.field} ${order.desc ? "desc" : "asc"}`) {
      throw badRequest("$skiptoken was issued for a different $orderby", "$skiptoken");
    }
    rest = matching.filter((r) => sign * cmpKeys(keyOf(r, order), token.k) > 0);
    left = token.left;
  } else if (q.$skip) {
    rest = matching.slice(q.$skip);
  }
  const size = Math.min(pageSize, left ?? Infinity);
  const items = rest.slice(0, size);
  const remainingTop = left === null ? null : left - items.length;
  const last = items[items.length - 1];
  const more = rest.length > items.length && (remainingTop === null || remainingTop > 0);
  return {
    items,
    count: matching.length,
    next:
      more && last
        ? { k: keyOf(last, order), left: remainingTop, o: `${order.field} ${order.desc ? "desc" : "asc"}` }
        : null,
  };
}
