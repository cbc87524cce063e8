import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isLookup, MANY_TO_MANY, tableByLogicalName } from "../../../solution/schema";
import { badRequest } from "./errors";
import { CAPABILITIES, emptyStoreData, type Capability, type CellValue, type Row, type StoreData } from "./store";
import { coerceInput, isEntityRef, toStoredInstant, type Language } from "./values";

/**
 * Seed data (product-spec §8) loaded from JSON and checked against solution/schema, so a seed can
 * never hold a value the schema (and hence a real org with the solution) would refuse.
 */

export interface SeedData {
  seedTime?: string;
  rows: Record<string, Record<string, unknown>[]>;
  links?: Record<string, [string, string][]>;
  /** roleid → capabilities (emulator-only; see security.ts). */
  roleCapabilities?: Record<string, Capability[]>;
  /** The user that created the seed rows (createdby/modifiedby, default owner). */
  seedUserId?: string;
  languages?: Record<string, Language>;
}

export const DEFAULT_SEED_FILE = join(__dirname, "seed", "seed.json");

export function readSeedFile(path: string = DEFAULT_SEED_FILE): SeedData {
  return JSON.parse(readFileSync(path, "utf8")) as SeedData;
}

export function loadSeed(seed: SeedData): { data: StoreData; languages: Record<string, Language> } {
  const data = emptyStoreData();
  const time = toStoredInstant(Date.parse(seed.seedTime ?? "2026-11-01T09:00:00Z"));
  for (const [roleId, capabilities] of Object.entries(seed.roleCapabilities ?? {})) {
    const unknown = capabilities.filter((c) => !CAPABILITIES.includes(c));
    if (unknown.length) throw badRequest(`Seed: unknown capabilities ${unknown.join(", ")} for role ${roleId}.`);
    data.roleCapabilities[roleId.toLowerCase()] = capabilities;
  }
  const integration = seed.seedUserId?.toLowerCase() ?? null;
  for (const [tableName, rows] of Object.entries(seed.rows)) {
    const table = tableByLogicalName(tableName);
    if (!table) throw badRequest(`Seed: unknown table '${tableName}'.`);
    for (const source of rows) {
      const row: Row = {};
      for (const column of table.columns) {
        row[column.logicalName] =
          column.type === "boolean"
            ? column.defaultValue
            : (column.type === "choice" || column.type === "state" || column.type === "status") &&
                column.defaultValue !== undefined
              ? column.defaultValue
              : null;
      }
      for (const [name, value] of Object.entries(source)) {
        const column = table.columns.find((c) => c.logicalName === name);
        if (!column) throw badRequest(`Seed: '${tableName}' has no column '${name}'.`);
        if (isLookup(column)) {
          if (value === null) continue;
          const ref = value as { table?: unknown; id?: unknown };
          if (
            typeof ref.table !== "string" ||
            typeof ref.id !== "string" ||
            !column.targets.some((t) => t.table === ref.table)
          ) {
            throw badRequest(
              `Seed: '${tableName}.${name}' must be {table,id} with table in ${column.targets.map((t) => t.table).join("/")}.`,
            );
          }
          row[name] = { table: ref.table, id: ref.id.toLowerCase() };
        } else {
          row[name] = coerceInput(tableName, column, value);
        }
      }
      const id = row[table.primaryIdAttribute];
      if (typeof id !== "string") throw badRequest(`Seed: a '${tableName}' row has no ${table.primaryIdAttribute}.`);
      const by: CellValue = integration ? { table: "systemuser", id: integration } : null;
      if ("createdon" in row && row.createdon === null) row.createdon = time;
      if ("modifiedon" in row && row.modifiedon === null) row.modifiedon = time;
      if ("createdby" in row && row.createdby === null) row.createdby = by;
      if ("modifiedby" in row && row.modifiedby === null) row.modifiedby = by;
      if (table.ownership === "UserOwned") {
        if (!isEntityRef(row.ownerid)) row.ownerid = by;
        const owner = row.ownerid;
        row.owninguser = isEntityRef(owner) && owner.table === "systemuser" ? owner : null;
        row.owningteam = isEntityRef(owner) && owner.table === "team" ? owner : null;
      }
      if (tableName === "contact" || tableName === "systemuser") {
        row.fullname = [row.firstname, row.lastname].filter((p) => typeof p === "string" && p.trim()).join(" ") || null;
      }
      data.version += 1;
      row.versionnumber = data.version;
      (data.tables[tableName] ??= {})[id] = row;
    }
  }
  for (const [relationship, pairs] of Object.entries(seed.links ?? {})) {
    const rel = MANY_TO_MANY.find((r) => r.schemaName === relationship);
    if (!rel) throw badRequest(`Seed: unknown relationship '${relationship}'.`);
    for (const [a, b] of pairs) {
      if (!data.tables[rel.table1]?.[a.toLowerCase()] || !data.tables[rel.table2]?.[b.toLowerCase()]) {
        throw badRequest(`Seed: link ${relationship} ${a}|${b} points at a missing row.`);
      }
      (data.links[relationship] ??= []).push(`${a.toLowerCase()}|${b.toLowerCase()}`);
    }
  }
  const languages: Record<string, Language> = {};
  for (const [id, lcid] of Object.entries(seed.languages ?? {})) languages[id.toLowerCase()] = lcid;
  return { data, languages };
}
