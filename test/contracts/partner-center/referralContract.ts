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
