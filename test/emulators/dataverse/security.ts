import type { TableDefinition } from "../../../solution/schema";
import { DataverseError, ERROR_CODES } from "./errors";
import type { Capability, EntityRef, Row, Store } from "./store";
import { isEntityRef, type Language } from "./values";

/**
 * Who is calling, and what they may do. The bearer token identifies the calling (often application)
 * user; CallerObjectId / MSCRMCallerID impersonate another user when the caller holds
 * prvActOnBehalfOfAnotherUser. What a user may do is the union of the capabilities of their security
 * roles (systemuserroles_association), so assigning or removing a role through the Web API changes it:
 * - read: read every table;
 * - createOwn / writeOwn: create user-owned business rows; write or delete those they or their teams own;
 * - writeAll: create, write, delete any business row (org-owned catalogue, audit, state included);
 * - customize: write platform tables (service endpoints, steps, images) and environment variables;
 * - actOnBehalf: impersonate.
 */

export interface Caller {
  /** The user the request runs as (UserId in a plug-in context). */
  userId: string;
  /** The authenticated user (InitiatingUserId). */
  initiatingUserId: string;
  capabilities: ReadonlySet<Capability>;
  teamIds: string[];
  language: Language;
  aadObjectId: string | null;
  initiatingAadObjectId: string | null;
}

export interface SecurityOptions {
  /** Bearer token → systemuserid. Any other non-empty token is the integration (application) user. */
  tokens?: Record<string, string>;
}

/** The application user every unmapped token stands for: the user whose roles allow acting on behalf of others and holding an application id. */
export function integrationUserId(store: Store): string | undefined {
  const users = Object.values(store.data.tables.systemuser ?? {});
  const app = users.find(
    (u) => typeof u.applicationid === "string" && capabilitiesOf(store, String(u.systemuserid)).has("actOnBehalf"),
  );
  return app ? String(app.systemuserid) : undefined;
}

export function capabilitiesOf(store: Store, userId: string): Set<Capability> {
  const out = new Set<Capability>();
  for (const [, roleId] of store.linked("systemuserroles_association", userId, null)) {
    for (const c of store.data.roleCapabilities[roleId] ?? []) out.add(c);
  }
  return out;
}

function teamsOf(store: Store, userId: string): string[] {
  return store.linked("teammembership_association", null, userId).map(([teamId]) => teamId);
}

function disabled(userId: string): DataverseError {
  return new DataverseError(403, ERROR_CODES.userDisabled, `The user with SystemUserId=${userId} is disabled.`);
}

export function resolveCaller(
  store: Store,
  headers: Record<string, string | undefined>,
  options: SecurityOptions,
  languages: Record<string, Language>,
): Caller {
  const token = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? "")?.[1];
  if (!token) {
    throw new DataverseError(
      401,
      ERROR_CODES.unauthorized,
      "HTTP Error 401 - Unauthorized: Access is denied (no bearer token).",
    );
  }
  const initiatingId = (options.tokens?.[token] ?? integrationUserId(store))?.toLowerCase();
  const initiating = initiatingId ? store.get("systemuser", initiatingId) : undefined;
  if (!initiatingId || !initiating) {
    throw new DataverseError(
      401,
      ERROR_CODES.unauthorized,
      "HTTP Error 401 - Unauthorized: the token does not map to a user of this organization.",
    );
  }
  if (initiating.isdisabled === true) throw disabled(initiatingId);
  let userId = initiatingId;
  const byAad = headers.callerobjectid;
  const byId = headers.mscrmcallerid;
  if (byAad || byId) {
    if (!capabilitiesOf(store, initiatingId).has("actOnBehalf")) {
      throw new DataverseError(
        403,
        ERROR_CODES.privilege,
        `Principal user (Id=${initiatingId}, type=8) is missing prvActOnBehalfOfAnotherUser privilege on OTC=8 for entity 'systemuser'.`,
      );
    }
    if (byAad) {
      const aad = byAad.toLowerCase();
      const found = Object.values(store.data.tables.systemuser ?? {}).find(
        (u) => String(u.azureactivedirectoryobjectid ?? "") === aad,
      );
      if (!found) {
        throw new DataverseError(
          404,
          ERROR_CODES.recordNotFound,
          `systemuser With azureactivedirectoryobjectid = ${byAad} Does Not Exist`,
        );
      }
      userId = String(found.systemuserid);
    } else if (byId) {
      if (!store.get("systemuser", byId)) {
        throw new DataverseError(
          404,
          ERROR_CODES.recordNotFound,
          `Entity 'systemuser' With Id = ${byId} Does Not Exist`,
        );
      }
      userId = byId.toLowerCase();
    }
  }
  const user = store.get("systemuser", userId);
  if (user?.isdisabled === true) throw disabled(userId);
  return {
    userId,
    initiatingUserId: initiatingId,
    capabilities: capabilitiesOf(store, userId),
    teamIds: teamsOf(store, userId),
    language: languages[userId] ?? 1033,
    aadObjectId: (user?.azureactivedirectoryobjectid as string | null | undefined) ?? null,
    initiatingAadObjectId: (initiating.azureactivedirectoryobjectid as string | null | undefined) ?? null,
  };
}

type Access = "Read" | "Create" | "Write" | "Delete";

function missingPrivilege(caller: Caller, access: Access, table: TableDefinition): DataverseError {
  return new DataverseError(
    403,
    ERROR_CODES.privilege,
    `Principal user (Id=${caller.userId}, type=8, roleCount=${caller.capabilities.size > 0 ? 1 : 0}) is missing prv${access}${table.schemaName} privilege on OTC=${
      table.objectTypeCode ?? 10000
    } for entity '${table.logicalName}'.`,
  );
}

/** Platform tables and environment variables need customization rights. */
function isCustomizing(table: TableDefinition): boolean {
  return (
    table.origin === "system" || table.logicalName.startsWith("environmentvariable") || table.logicalName === "role"
  );
}

function ownedBy(caller: Caller, owner: EntityRef): boolean {
  return owner.table === "systemuser" ? owner.id === caller.userId : caller.teamIds.includes(owner.id);
}

export function assertCanRead(caller: Caller, table: TableDefinition): void {
  if (!caller.capabilities.has("read")) throw missingPrivilege(caller, "Read", table);
}

export function assertCanCreate(caller: Caller, table: TableDefinition): void {
  const c = caller.capabilities;
  if (
    isCustomizing(table)
      ? c.has("customize")
      : c.has("writeAll") || (c.has("createOwn") && table.ownership === "UserOwned")
  )
    return;
  throw missingPrivilege(caller, "Create", table);
}

/** Write/Delete on an existing row: per capability; business rows also by ownership for writeOwn. */
export function assertCanModify(caller: Caller, table: TableDefinition, row: Row, access: "Write" | "Delete"): void {
  const c = caller.capabilities;
  if (isCustomizing(table)) {
    if (c.has("customize")) return;
    throw missingPrivilege(caller, access, table);
  }
  if (c.has("writeAll")) return;
  if (c.has("writeOwn") && table.ownership === "UserOwned") {
    const owner = row.ownerid;
    if (isEntityRef(owner) && ownedBy(caller, owner)) return;
    const id = String(row[table.primaryIdAttribute]);
    throw new DataverseError(
      403,
      ERROR_CODES.privilege,
      `SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: ${id}, OwnerId: ${isEntityRef(owner) ? owner.id : "none"},  OwnerIdType: ${
        isEntityRef(owner) && owner.table === "team" ? 9 : 8
      } and CallingUser: ${caller.userId}. ObjectTypeCode: ${table.objectTypeCode ?? 10000}, AccessRights: ${
        access === "Write" ? "WriteAccess" : "DeleteAccess"
      }`,
    );
  }
  throw missingPrivilege(caller, access, table);
}
