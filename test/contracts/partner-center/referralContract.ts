import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import currencyCodes from "currency-codes";
import codes from "i18n-iso-countries/codes.json";
import swagger from "./referrals.swagger.json";

/**
 * The Referrals API contract: Microsoft's swagger definitions, plus what the docs require and the
 * swagger leaves out. Used by tests and by the Partner Center emulator to judge request bodies.
 */

const DEF = "Microsoft.Partner.Service.PartnerReferrals.Contracts.V3.";

// The swagger is Swagger 2.0 with connector quirks (items on an object, "float" format): not strict JSON Schema.
const ajv = new Ajv({ strict: false, allErrors: true, formats: { float: true } });

function compile(name: string): ValidateFunction {
  const schema = (swagger.definitions as Record<string, object>)[DEF + name];
  if (!schema) throw new Error(`swagger has no definition ${name}`);
  return ajv.compile(schema);
}

const referralSchema = compile("Referral");
const patchSchema = compile("UpdateReferralDetails");

const alpha2 = new Set((codes as string[][]).map((row) => row[0]));
const STATUSES = ["None", "New", "Active", "Closed"];
const SUBSTATUS_OF: Record<string, string[]> = {
  None: ["None"],
  New: ["Pending", "Received"],
  Active: ["Accepted"],
  Closed: ["Won", "Lost", "Declined", "Expired"],
};

export interface ContractError {
  path: string;
  message: string;
}

function ajvErrors(errors: ErrorObject[] | null | undefined): ContractError[] {
  return (errors ?? []).map((e) => ({ path: e.instancePath || "/", message: e.message ?? "invalid" }));
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Errors of a POST /referrals body (empty when valid). */
export function referralCreateErrors(body: unknown): ContractError[] {
  if (!referralSchema(body)) return ajvErrors(referralSchema.errors);
  const out: ContractError[] = [];
  const r = body as Record<string, unknown>;
  for (const member of ["type", "customerProfile", "consent", "details"]) {
    if (r[member] === undefined || r[member] === null) out.push({ path: `/${member}`, message: "is required" });
  }
  if (r.type !== undefined && r.type !== "Independent" && r.type !== "Shared") {
    out.push({ path: "/type", message: "must be Independent or Shared" });
  }
  const profile = isObject(r.customerProfile) ? r.customerProfile : {};
  const address = isObject(profile.address) ? profile.address : {};
  if (typeof address.country !== "string" || !alpha2.has(address.country)) {
    out.push({ path: "/customerProfile/address/country", message: "must be an ISO 3166-1 alpha-2 code" });
  }
  const details = isObject(r.details) ? r.details : {};
  if (
    details.currency !== undefined &&
    !(typeof details.currency === "string" && currencyCodes.code(details.currency)?.code === details.currency)
  ) {
    out.push({ path: "/details/currency", message: "must be an ISO 4217 code" });
  }
  if (details.closingDateTime !== undefined && Number.isNaN(Date.parse(String(details.closingDateTime)))) {
    out.push({ path: "/details/closingDateTime", message: "must be a date-time" });
  }
  const status = r.status ?? "None";
  const substatus = r.substatus ?? "None";
  if (typeof status !== "string" || !STATUSES.includes(status)) {
    out.push({ path: "/status", message: `must be one of ${STATUSES.join(", ")}` });
  } else if (typeof substatus !== "string" || !SUBSTATUS_OF[status]!.includes(substatus)) {
    out.push({
      path: "/substatus",
      message: `must be one of ${SUBSTATUS_OF[status]!.join(", ")} for status ${status}`,
    });
  }
  return out;
}

/** Errors of a PATCH /referrals/{id} body (JSON Patch array) against UpdateReferralDetails. */
export function referralPatchErrors(body: unknown): ContractError[] {
  if (!Array.isArray(body)) return [{ path: "/", message: "must be a JSON Patch array" }];
  if (!patchSchema(body)) return ajvErrors(patchSchema.errors);
  const out: ContractError[] = [];
  body.forEach((op: Record<string, unknown>, i) => {
    if (typeof op.path !== "string") out.push({ path: `/${i}/path`, message: "is required" });
    if (!("value" in op)) out.push({ path: `/${i}/value`, message: "is required" });
  });
  return out;
}

/**
 * Errors of a referral the API returned (GET, POST, PUT, PATCH with Prefer): the swagger's Referral, the
 * members the server always fills, and a valid status/substatus pair.
 */
export function referralResponseErrors(body: unknown): ContractError[] {
  if (!isObject(body)) return [{ path: "/", message: "must be a Referral object" }];
  if (!referralSchema(body)) return ajvErrors(referralSchema.errors);
  const out: ContractError[] = [];
  for (const member of ["id", "eTag", "createdDateTime", "updatedDateTime", "status", "substatus"]) {
    if (typeof body[member] !== "string" || body[member] === "")
      out.push({ path: `/${member}`, message: "is required in a response" });
  }
  for (const member of ["createdDateTime", "updatedDateTime"]) {
    if (typeof body[member] === "string" && Number.isNaN(Date.parse(body[member] as string))) {
      out.push({ path: `/${member}`, message: "must be a date-time" });
    }
  }
  const status = body.status;
  if (
    typeof status === "string" &&
    STATUSES.includes(status) &&
    !SUBSTATUS_OF[status]!.includes(String(body.substatus))
  ) {
    out.push({
      path: "/substatus",
      message: `must be one of ${SUBSTATUS_OF[status]!.join(", ")} for status ${status}`,
    });
  }
  return out;
}

/**
 * Errors of a GET /referrals answer: the swagger's 200 schema (OData envelope) with each referral checked.
 * `partial`: the query had $select, so referrals carry only some members (checked against the schema only).
 */
export function referralListResponseErrors(body: unknown, options: { partial?: boolean } = {}): ContractError[] {
  if (!isObject(body)) return [{ path: "/", message: "must be an OData response object" }];
  const out: ContractError[] = [];
  if (typeof body["@odata.context"] !== "string") out.push({ path: "/@odata.context", message: "must be a string" });
  if (body["@odata.count"] !== undefined && !Number.isInteger(body["@odata.count"])) {
    out.push({ path: "/@odata.count", message: "must be an integer" });
  }
  if (body["@odata.nextLink"] !== undefined && typeof body["@odata.nextLink"] !== "string") {
    out.push({ path: "/@odata.nextLink", message: "must be a string" });
  }
  if (!Array.isArray(body.value)) return [...out, { path: "/value", message: "must be an array" }];
  body.value.forEach((r, i) => {
    const errors = options.partial
      ? referralSchema(r)
        ? []
        : ajvErrors(referralSchema.errors)
      : referralResponseErrors(r);
    out.push(...errors.map((e) => ({ ...e, path: `/value/${i}${e.path}` })));
  });
  return out;
}

const ERROR_CODES = [
  "accessDenied",
  "generalException",
  "invalidRequest",
  "itemNotFound",
  "preconditionFailed",
  "resourceModified",
  "serviceNotAvailable",
  "unauthenticated",
];

/**
 * Errors of an error answer: the documented {"error":{code,message,target}} with a documented code, or, for
 * 429, the throttling guidance's {"statusCode":429,"message"}.
 */
export function errorResponseErrors(status: number, body: unknown): ContractError[] {
  if (!isObject(body)) return [{ path: "/", message: "must be an error object" }];
  if (status === 429 && body.statusCode === 429 && typeof body.message === "string") return [];
  const e = body.error;
  if (!isObject(e)) return [{ path: "/error", message: "is required" }];
  const out: ContractError[] = [];
  if (typeof e.code !== "string" || !ERROR_CODES.includes(e.code)) {
    out.push({ path: "/error/code", message: `must be one of ${ERROR_CODES.join(", ")}` });
  }
  if (typeof e.message !== "string" || e.message.length > 1024)
    out.push({ path: "/error/message", message: "must be a string of at most 1024 characters" });
  if (typeof e.target !== "string") out.push({ path: "/error/target", message: "must be a string" });
  return out;
}
