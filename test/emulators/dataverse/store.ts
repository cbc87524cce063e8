import { randomUUID } from "node:crypto";
import { ALL_TABLES, MANY_TO_MANY, type TableDefinition } from "../../../solution/schema";

/** A lookup value as stored: the target row and its table (lookups can be polymorphic). */
export interface EntityRef {
  id: string;
  table: string;
}

export type CellValue = string | number | boolean | EntityRef | null;
export type Row = Record<string, CellValue>;

/**
 * What a security role lets its holders do, in the emulator's small privilege model (emulator-only
 * data: a real role holds hundreds of privileges; these are the ones the product's behaviour depends on).
 */
export const CAPABILITIES = ["read", "createOwn", "writeOwn", "writeAll", "customize", "actOnBehalf"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface StoreData {
  /** Rows per table logical name, keyed by lower-case id. */
  tables: Record<string, Record<string, Row>>;
  /** N:N links per relationship schema name: "table1Id|table2Id". */
  links: Record<string, string[]>;
  /** roleid → what the role allows. Users get the union over their roles (systemuserroles_association). */
  roleCapabilities: Record<string, Capability[]>;
  /** Last row version handed out; every write takes the next one, so @odata.etag always changes. */
  version: number;
}

export function emptyStoreData(): StoreData {
  return {
    tables: Object.fromEntries(ALL_TABLES.map((t) => [t.logicalName, {}])),
    links: Object.fromEntries(MANY_TO_MANY.map((r) => [r.schemaName, []])),
    roleCapabilities: {},
    version: 1_000_000,
  };
}

/** In-memory rows. Snapshots (deep copies) give change sets and sync webhooks their rollback. */
export class Store {
  data: StoreData;

  constructor(data: StoreData = emptyStoreData()) {
    this.data = data;
  }

  rows(table: TableDefinition): Row[] {
    return Object.values(this.data.tables[table.logicalName] ?? {});
  }

  get(table: string, id: string): Row | undefined {
    return this.data.tables[table]?.[id.toLowerCase()];
  }

  put(table: string, id: string, row: Row): void {
    const rows = (this.data.tables[table] ??= {});
    rows[id.toLowerCase()] = row;
  }

  remove(table: string, id: string): void {
    delete this.data.tables[table]?.[id.toLowerCase()];
    // Deleting a row removes its N:N links too, as the platform does.
    for (const rel of MANY_TO_MANY) {
      if (rel.table1 !== table && rel.table2 !== table) continue;
      const links = this.data.links[rel.schemaName] ?? [];
      this.data.links[rel.schemaName] = links.filter((l) => {
        const [a, b] = l.split("|");
        return !((rel.table1 === table && a === id.toLowerCase()) || (rel.table2 === table && b === id.toLowerCase()));
      });
    }
  }

  nextVersion(): number {
    this.data.version += 1;
    return this.data.version;
  }

  newId(): string {
    return randomUUID();
  }

  linked(relationship: string, table1Id: string | null, table2Id: string | null): [string, string][] {
    return (this.data.links[relationship] ?? [])
      .map((l) => l.split("|") as [string, string])
      .filter(
        ([a, b]) =>
          (table1Id === null || a === table1Id.toLowerCase()) && (table2Id === null || b === table2Id.toLowerCase()),
      );
  }

  link(relationship: string, table1Id: string, table2Id: string): boolean {
    const key = `${table1Id.toLowerCase()}|${table2Id.toLowerCase()}`;
    const links = (this.data.links[relationship] ??= []);
    if (links.includes(key)) return false;
    links.push(key);
    return true;
  }

  unlink(relationship: string, table1Id: string, table2Id: string): boolean {
    const key = `${table1Id.toLowerCase()}|${table2Id.toLowerCase()}`;
    const links = this.data.links[relationship] ?? [];
    const next = links.filter((l) => l !== key);
    this.data.links[relationship] = next;
    return next.length !== links.length;
  }

  snapshot(): StoreData {
    return structuredClone(this.data);
  }

  restore(data: StoreData): void {
    this.data = data;
  }
}
