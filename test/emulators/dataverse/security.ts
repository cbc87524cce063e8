import type { TableDefinition } from "../../../solution/schema";
import { DataverseError, ERROR_CODES } from "./errors";
import type { EntityRef, Row, SecurityProfile, Store } from "./store";
import { isEntityRef, type Language } from "./values";

/**
 * Who is calling, and what they may do. A small model of Dataverse security: the bearer token
 * identifies the calling (application) user; CallerObjectId / MSCRMCallerID impersonate another
 * user when the caller holds prvActOnBehalfOfAnotherUser; sellers write rows that they or one of
 * their teams own; a read-only seller reads only.
 */

export interface Caller {
  /** The user the request runs as (UserId in a plug-in context). */
  userId: string;
  /** The authenticated user (InitiatingUserId). */
  initiatingUserId: string;
  profile: SecurityProfile;
  teamIds: string[];
  language: Language;
  aadObjectId: string | null;
  initiatingAadObjectId: string | null;
}

export interface SecurityOptions {
  /** Bearer token → systemuserid. Any other non-empty token is the integration (application) user. */
  tokens?: Record<string, string>;
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  return headers[name.toLowerCase()];
}

function userRow(store: Store, id: string): Row | undefined {
  return store.get("systemuser", id);
}

function teamsOf(store: Store, userId: string): string[] {
  return store.linked("teammembership_association", null, userId).map(([teamId]) => teamId);
}

function integrationUserId(store: Store): string | undefined {
  return Object.entries(store.data.profiles).find(([, p]) => p === "integration")?.[0];
}

export function resolveCaller(
  store: Store,
  headers: Record<string, string | undefined>,
  options: SecurityOptions,
  languages: Record<string, Language>,
): Caller {
  const auth = header(headers, "authorization") ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  if (!token) {
    throw new DataverseError(
      401,
      ERROR_CODES.unauthorized,
      "HTTP Error 401 - Unauthorized: Access is denied (no bearer token).",
    );
  }
  const initiatingId = options.tokens?.[token] ?? integrationUserId(store);
  const initiating = initiatingId ? userRow(store, initiatingId) : undefined;
  if (!initiatingId || !initiating) {
    throw new DataverseError(
      401,
      ERROR_CODES.unauthorized,
      "HTTP Error 401 - Unauthorized: the token does not map to a user of this organization.",
    );
  }
  if (initiating.isdisabled === true) {
    throw new DataverseError(403, ERROR_CODES.userDisabled, `The user with SystemUserId=${initiatingId} is disabled.`);
  }
  let userId = initiatingId;
  const byAad = header(headers, "callerobjectid");
  const byId = header(headers, "mscrmcallerid");
  if (byAad || byId) {
    const initiatingProfile = store.data.profiles[initiatingId] ?? "seller";
    if (initiatingProfile !== "integration" && initiatingProfile !== "systemAdministrator") {
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
      if (!userRow(store, byId))
        throw new DataverseError(
          404,
          ERROR_CODES.recordNotFound,
          `Entity 'systemuser' With Id = ${byId} Does Not Exist`,
        );
      userId = byId.toLowerCase();
    }
  }
  const user = userRow(store, userId);
  if (user?.isdisabled === true) {
    throw new DataverseError(403, ERROR_CODES.userDisabled, `The user with SystemUserId=${userId} is disabled.`);
  }
  return {
    userId,
    initiatingUserId: initiatingId,
    profile: store.data.profiles[userId] ?? "seller",
    teamIds: teamsOf(store, userId),
    language: languages[userId] ?? 1033,
    aadObjectId: (user?.azureactivedirectoryobjectid as string | null | undefined) ?? null,
    initiatingAadObjectId: (initiating.azureactivedirectoryobjectid as string | null | undefined) ?? null,
  };
}

type Access = "Create" | "Write" | "Delete" | "Append";

function missingPrivilege(caller: Caller, access: Access, table: TableDefinition): DataverseError {
  return new DataverseError(
    403,
    ERROR_CODES.privilege,
    `Principal user (Id=${caller.userId}, type=8, roleCount=1) is missing prv${access}${table.schemaName} privilege on OTC=${
      table.objectTypeCode ?? 10000
    } for entity '${table.logicalName}'.`,
  );
}

const ADMIN: readonly SecurityProfile[] = ["integration", "systemAdministrator"];

export function assertCanCreate(caller: Caller, table: TableDefinition): void {
  if (ADMIN.includes(caller.profile)) return;
  if (caller.profile === "seller" && table.ownership === "UserOwned" && table.origin !== "system") return;
  throw missingPrivilege(caller, "Create", table);
}

/** Write/Delete on an existing row: admins always; sellers on rows they or their teams own. */
export function assertCanModify(caller: Caller, table: TableDefinition, row: Row, access: "Write" | "Delete"): void {
  if (ADMIN.includes(caller.profile)) return;
  if (caller.profile === "seller" && table.ownership === "UserOwned" && table.origin !== "system") {
    const owner = row.ownerid;
    if (isEntityRef(owner) && ownedBy(caller, owner)) return;
    const id = String(row[table.primaryIdAttribute]);
    throw new DataverseError(
      403,
      ERROR_CODES.privilege,
      `SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: ${id}, OwnerId: ${isEntityRef(owner) ? owner.id : "none"},  OwnerIdType: ${
        isEntityRef(owner) && owner.table === "team" ? 9 : 8
      } and CallingUser: ${caller.userId}. ObjectTypeCode: ${table.objectTypeCode ?? 10000}, AccessRights: ${access === "Write" ? "WriteAccess" : "DeleteAccess"}`,
    );
  }
  throw missingPrivilege(caller, access, table);
}

function ownedBy(caller: Caller, owner: EntityRef): boolean {
  return owner.table === "systemuser" ? owner.id === caller.userId : caller.teamIds.includes(owner.id);
}
