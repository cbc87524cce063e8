import { badRequest } from "./errors";
import { realCalendarParts } from "./values";

/**
 * $filter as Dataverse accepts it: comparisons (eq ne gt ge lt le), and/or/not, parentheses,
 * contains/startswith/endswith, null, GUID and date literals, single-valued navigation paths.
 * Parsing is separate from evaluation so bad syntax is a 400 before any row is read.
 */

export type LiteralType = "string" | "number" | "guid" | "datetime" | "date" | "boolean" | "null";
export interface Literal {
  kind: "literal";
  type: LiteralType;
  value: string | number | boolean | null;
  text: string;
}
export interface PropertyPath {
  kind: "property";
  /** "name", "_parentcontactid_value" or "parentcontactid/emailaddress1". */
  path: string[];
}
export type Operand = Literal | PropertyPath;
export type ComparisonOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "compare"; op: ComparisonOp; left: Operand; right: Operand }
  | { kind: "function"; name: "contains" | "startswith" | "endswith"; property: PropertyPath; value: Literal };

type Token =
  | { t: "ident"; v: string; pos: number }
  | { t: "literal"; v: Literal; pos: number }
  | { t: "("; pos: number }
  | { t: ")"; pos: number }
  | { t: ","; pos: number };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\d:T])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDlL]?(?![\w-])/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*/;

function syntaxError(pos: number, source: string): Error {
  return badRequest(`Syntax error at position ${pos} in '${source}'.`);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i += 1;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ t: ch, pos: i });
      i += 1;
      continue;
    }
    if (ch === "'") {
      let j = i + 1;
      let value = "";
      for (;;) {
        if (j >= source.length) throw badRequest(`Unterminated string literal at position ${i} in '${source}'.`);
        if (source[j] === "'") {
          if (source[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += source[j];
        j += 1;
      }
      tokens.push({
        t: "literal",
        v: { kind: "literal", type: "string", value, text: source.slice(i, j + 1) },
        pos: i,
      });
      i = j + 1;
      continue;
    }
    const rest = source.slice(i);
    const guid = GUID.exec(rest);
    if (guid && !/[\w-]/.test(rest[guid[0].length] ?? "")) {
      tokens.push({
        t: "literal",
        v: { kind: "literal", type: "guid", value: guid[0].toLowerCase(), text: guid[0] },
        pos: i,
      });
      i += guid[0].length;
      continue;
    }
    const dt = DATETIME.exec(rest);
    if (dt) {
      const time = Date.parse(dt[0]);
      if (Number.isNaN(time) || !realCalendarParts(dt[0]))
        throw badRequest(`Unrecognized 'Edm.DateTimeOffset' literal '${dt[0]}' at '${i}' in '${source}'.`);
      tokens.push({
        t: "literal",
        v: { kind: "literal", type: "datetime", value: new Date(time).toISOString(), text: dt[0] },
        pos: i,
      });
      i += dt[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ t: "literal", v: { kind: "literal", type: "date", value: date[0], text: date[0] }, pos: i });
      i += date[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      const value = Number(num[0].replace(/[mMdDlL]$/, ""));
      if (!Number.isFinite(value))
        throw badRequest(`The number literal '${num[0]}' at position ${i} in '${source}' is out of range.`);
      tokens.push({ t: "literal", v: { kind: "literal", type: "number", value, text: num[0] }, pos: i });
      i += num[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      const word = ident[0];
      if (word === "true" || word === "false") {
        tokens.push({
          t: "literal",
          v: { kind: "literal", type: "boolean", value: word === "true", text: word },
          pos: i,
        });
      } else if (word === "null") {
        tokens.push({ t: "literal", v: { kind: "literal", type: "null", value: null, text: word }, pos: i });
      } else {
        tokens.push({ t: "ident", v: word, pos: i });
      }
      i += word.length;
      continue;
    }
    throw syntaxError(i, source);
  }
  return tokens;
}

const COMPARISONS = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);
const FUNCTIONS = new Set(["contains", "startswith", "endswith"]);

export function parseFilter(source: string): FilterNode {
  if (!source.trim()) throw badRequest("The $filter query option is empty.");
  const tokens = tokenize(source);
  let p = 0;
  const peek = (): Token | undefined => tokens[p];
  const at = (): number => peek()?.pos ?? source.length;
  const isWord = (word: string): boolean => {
    const tok = peek();
    return tok?.t === "ident" && tok.v === word;
  };

  function parseOr(): FilterNode {
    let left = parseAnd();
    while (isWord("or")) {
      p += 1;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): FilterNode {
    let left = parseUnary();
    while (isWord("and")) {
      p += 1;
      left = { kind: "and", left, right: parseUnary() };
    }
    return left;
  }
  function parseUnary(): FilterNode {
    if (isWord("not")) {
      p += 1;
      return { kind: "not", operand: parseUnary() };
    }
    return parsePrimary();
  }
  function parseOperand(): Operand {
    const tok = peek();
    if (!tok) throw badRequest(`Expression expected at position ${source.length} in '${source}'.`);
    if (tok.t === "literal") {
      p += 1;
      return tok.v;
    }
    if (tok.t === "ident") {
      p += 1;
      return { kind: "property", path: tok.v.split("/") };
    }
    throw syntaxError(tok.pos, source);
  }
  function expect(kind: "(" | ")" | ","): void {
    const tok = peek();
    if (tok?.t !== kind) throw badRequest(`'${kind}' or operator expected at position ${at()} in '${source}'.`);
    p += 1;
  }
  function parsePrimary(): FilterNode {
    const tok = peek();
    if (tok?.t === "(") {
      p += 1;
      const inner = parseOr();
      expect(")");
      return inner;
    }
    if (tok?.t === "ident" && tokens[p + 1]?.t === "(") {
      const name = tok.v;
      if (!FUNCTIONS.has(name)) {
        throw badRequest(
          `An unknown function with name '${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
        );
      }
      p += 2;
      const property = parseOperand();
      expect(",");
      const value = parseOperand();
      expect(")");
      if (property.kind !== "property")
        throw badRequest(`The first argument of '${name}' must be a property, at position ${tok.pos} in '${source}'.`);
      if (value.kind !== "literal" || value.type !== "string") {
        throw badRequest(
          `The second argument of '${name}' must be a string literal, at position ${tok.pos} in '${source}'.`,
        );
      }
      return { kind: "function", name: name as "contains" | "startswith" | "endswith", property, value };
    }
    const left = parseOperand();
    const opTok = peek();
    if (opTok?.t !== "ident" || !COMPARISONS.has(opTok.v)) {
      if (left.kind === "property" && !opTok) {
        throw badRequest(
          `The $filter expression '${source}' is not a boolean expression: '${left.path.join("/")}' needs a comparison.`,
        );
      }
      throw syntaxError(at(), source);
    }
    p += 1;
    const right = parseOperand();
    return { kind: "compare", op: opTok.v as ComparisonOp, left, right };
  }

  const tree = parseOr();
  if (p < tokens.length) throw syntaxError(at(), source);
  return tree;
}

/** Properties a filter reads, for validation against the table before evaluating. */
export function filterProperties(node: FilterNode): PropertyPath[] {
  switch (node.kind) {
    case "and":
    case "or":
      return [...filterProperties(node.left), ...filterProperties(node.right)];
    case "not":
      return filterProperties(node.operand);
    case "function":
      return [node.property];
    case "compare":
      return [node.left, node.right].filter((o): o is PropertyPath => o.kind === "property");
  }
}
