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

interface Journal {
  /** "table|id" → the row before this transaction first touched it (undefined: it did not exist). */
  rows: Map<string, { table: string; id: string; previous: Row | undefined }>;
  /** Relationship → its links before this transaction first touched them. */
  links: Map<string, string[]>;
  /** Work to run once the outermost transaction commits (async webhooks). */
  afterCommit: (() => void)[];
}

/**
 * In-memory rows with nested transactions kept as undo journals (only touched rows are saved, so a
 * write costs the same with ten rows or a hundred thousand). Change sets and sync webhooks roll back
 * through them; row versions stay monotonic even across a rollback, so an ETag is never reused.
 */
export class Store {
  data: StoreData;
  private journals: Journal[] = [];

  constructor(data: StoreData = emptyStoreData()) {
    this.data = data;
  }

  rows(table: TableDefinition): Row[] {
    return Object.values(this.data.tables[table.logicalName] ?? {});
  }

  get(table: string, id: string): Row | undefined {
    return this.data.tables[table]?.[id.toLowerCase()];
  }

  private touchRow(table: string, id: string): void {
    const journal = this.journals[this.journals.length - 1];
    const key = `${table}|${id}`;
    if (journal && !journal.rows.has(key))
      journal.rows.set(key, { table, id, previous: this.data.tables[table]?.[id] });
  }

  private touchLinks(relationship: string): void {
    const journal = this.journals[this.journals.length - 1];
    if (journal && !journal.links.has(relationship))
      journal.links.set(relationship, [...(this.data.links[relationship] ?? [])]);
  }

  /** Stores a row (rows are replaced, never mutated in place, so journals can keep the old object). */
  put(table: string, id: string, row: Row, options: { untracked?: boolean } = {}): void {
    const key = id.toLowerCase();
    if (!options.untracked) this.touchRow(table, key);
    const rows = (this.data.tables[table] ??= {});
    rows[key] = row;
  }

  remove(table: string, id: string): void {
    const key = id.toLowerCase();
    this.touchRow(table, key);
    delete this.data.tables[table]?.[key];
    // Deleting a row removes its N:N links too, as the platform does.
    for (const rel of MANY_TO_MANY) {
      if (rel.table1 !== table && rel.table2 !== table) continue;
      const links = this.data.links[rel.schemaName] ?? [];
      const kept = links.filter((l) => {
        const [a, b] = l.split("|");
        return !((rel.table1 === table && a === key) || (rel.table2 === table && b === key));
      });
      if (kept.length !== links.length) {
        this.touchLinks(rel.schemaName);
        this.data.links[rel.schemaName] = kept;
      }
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
    if ((this.data.links[relationship] ?? []).includes(key)) return false;
    this.touchLinks(relationship);
    (this.data.links[relationship] ??= []).push(key);
    return true;
  }

  unlink(relationship: string, table1Id: string, table2Id: string): boolean {
    const key = `${table1Id.toLowerCase()}|${table2Id.toLowerCase()}`;
    const links = this.data.links[relationship] ?? [];
    if (!links.includes(key)) return false;
    this.touchLinks(relationship);
    this.data.links[relationship] = links.filter((l) => l !== key);
    return true;
  }

  /** Transactions open now (for unwinding whatever a failed request left open). */
  depth(): number {
    return this.journals.length;
  }

  begin(): void {
    this.journals.push({ rows: new Map(), links: new Map(), afterCommit: [] });
  }

  commit(): void {
    const journal = this.journals.pop();
    if (!journal) return;
    const outer = this.journals[this.journals.length - 1];
    if (!outer) {
      for (const work of journal.afterCommit) work();
      return;
    }
    for (const [key, entry] of journal.rows) if (!outer.rows.has(key)) outer.rows.set(key, entry);
    for (const [rel, links] of journal.links) if (!outer.links.has(rel)) outer.links.set(rel, links);
    outer.afterCommit.push(...journal.afterCommit);
  }

  rollback(): void {
    const journal = this.journals.pop();
    if (!journal) return;
    for (const { table, id, previous } of journal.rows.values()) {
      const rows = (this.data.tables[table] ??= {});
      if (previous === undefined) delete rows[id];
      else rows[id] = previous;
    }
    for (const [rel, links] of journal.links) this.data.links[rel] = links;
  }

  /** Rolls back every transaction above `depth`. */
  rollbackTo(depth: number): void {
    while (this.journals.length > depth) this.rollback();
  }

  /** Runs now, or when the outermost open transaction commits (never if it rolls back). */
  afterCommit(work: () => void): void {
    const journal = this.journals[this.journals.length - 1];
    if (journal) journal.afterCommit.push(work);
    else work();
  }

  /** Replaces everything (reset to the seed). */
  restore(data: StoreData): void {
    this.journals = [];
    this.data = data;
  }
}
