import { badRequest } from "./apiError";

/**
 * RFC 6902 `add` and `replace` — the only operations Partner Center supports — applied to a referral.
 * Read strictly: `replace` needs the target to exist and `add` needs its parent, as the RFC says.
 */

type Json = Record<string, unknown> | unknown[];

function tokens(path: string): string[] {
  return path
    .split("/")
    .slice(1)
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function applyOperation(doc: Record<string, unknown>, op: string, path: string, value: unknown): void {
  const parts = tokens(path);
  const last = parts.pop();
  if (last === undefined) throw badRequest("the whole document cannot be replaced", path);
  let parent: unknown = doc;
  for (const t of parts) {
    parent = parent !== null && typeof parent === "object" ? (parent as Record<string, unknown>)[t] : undefined;
    if (parent === undefined || parent === null || typeof parent !== "object") {
      throw badRequest(`${op} ${path}: /${parts.join("/")} does not exist on this referral`, path);
    }
  }
  const target = parent as Json;
  const copy = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  if (Array.isArray(target)) {
    if (last === "-") {
      if (op !== "add") throw badRequest(`replace ${path}: '-' is only valid with add`, path);
      target.push(copy);
      return;
    }
    const i = /^(0|[1-9]\d*)$/.test(last) ? Number(last) : NaN;
    if (Number.isNaN(i) || i > target.length || (op === "replace" && i >= target.length)) {
      throw badRequest(`${op} ${path}: index ${last} is out of range`, path);
    }
    if (op === "add") target.splice(i, 0, copy);
    else target[i] = copy;
    return;
  }
  if (last === "-") throw badRequest(`${op} ${path}: /${parts.join("/")} is not an array`, path);
  if (op === "replace" && !(last in target)) {
    throw badRequest(`replace ${path}: the member does not exist; use add`, path);
  }
  (target as Record<string, unknown>)[last] = copy;
}
