import { createHash } from "node:crypto";
import type { DynamicsWebApi } from "dynamics-web-api";

/**
 * Registers the proxy as a Dataverse webhook (service endpoint, contract 8, WebhookKey auth) with asynchronous
 * PostOperation steps on the opportunity's Create, Update, Win and Lose, and a post-image on Create and Update.
 * Idempotent: each piece is found by name, compared with what it should be, and written only when it differs,
 * so a second run makes no write and a changed URL or secret is fixed in place.
 *
 * The Update step fires only for the columns the referral is made of (and the seller's switch and "Sync now"
 * request); the proxy's own writes to the sync columns never wake it.
 */

export const ENDPOINT_NAME = "Co-sell Referral Sync proxy";

export const OPPORTUNITY_FILTERING_ATTRIBUTES = [
  "name",
  "description",
  "estimatedvalue",
  "estimatedclosedate",
  "transactioncurrencyid",
  "customerid",
  "parentcontactid",
  "ownerid",
  "statecode",
  "pcs_syncwithpartnercenter",
  "pcs_microsofthelp",
  "pcs_sharewithmicrosoftsellers",
  "pcs_syncrequestedon",
] as const;

export const WEBHOOK_STEPS = [
  { message: "Create", filtering: null, image: "id" },
  { message: "Update", filtering: OPPORTUNITY_FILTERING_ATTRIBUTES.join(","), image: "Target" },
  { message: "Win", filtering: null, image: null },
  { message: "Lose", filtering: null, image: null },
] as const;

export const POST_IMAGE_ALIAS = "PostImage";

/** Where the Dataverse service endpoint must point. */
export function dataverseWebhookUrl(proxyUrl: string): string {
  return `${proxyUrl.replace(/\/+$/, "")}/api/webhooks/dataverse`;
}

export function stepName(message: string): string {
  return `${ENDPOINT_NAME}: ${message} of opportunity`;
}

/**
 * The endpoint's auth value is write-only on the platform, so its fingerprint is kept in the description:
 * that lets setup see a changed secret without rewriting the endpoint on every run. A SHA-256 prefix of a
 * 32+ character random secret reveals nothing usable.
 */
export function secretFingerprint(secret: string): string {
  return `pcs-webhook-key-sha256:${createHash("sha256").update(secret).digest("hex").slice(0, 16)}`;
}

type Row = Record<string, unknown>;
export type Action = "created" | "updated" | "unchanged";

export interface RegistrationChanges {
  endpointId: string;
  endpoint: Action;
  steps: { message: string; stepId: string; action: Action; changed: string[] }[];
  images: { message: string; imageId: string; action: Action }[];
}

/** The legacy result shape of ensureDataverseWebhook (sandbox and end-to-end test). */
export interface WebhookSetupResult {
  endpointId: string;
  endpoint: "created" | "updated";
  steps: { message: string; stepId: string; action: "created" | "updated" }[];
}

export function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

async function first(
  api: DynamicsWebApi,
  collection: string,
  select: string[],
  filter: string,
): Promise<Row | undefined> {
  const page = await api.retrieveMultiple({ collection, select, filter, top: 1 });
  return page.value[0] as Row | undefined;
}

const sameAttributes = (a: unknown, b: string | null) =>
  String(a ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .sort()
    .join(",") ===
  (b ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .sort()
    .join(",");

const sameId = (a: unknown, b: string) => String(a ?? "").toLowerCase() === b.toLowerCase();

export async function registerDataverseWebhook(
  api: DynamicsWebApi,
  options: { proxyUrl: string; secret: string },
): Promise<RegistrationChanges> {
  const url = dataverseWebhookUrl(options.proxyUrl);
  const description = secretFingerprint(options.secret);
  const endpointFields = { name: ENDPOINT_NAME, url, contract: 8, messageformat: 2, authtype: 4, description };
  const existing = await first(
    api,
    "serviceendpoints",
    ["serviceendpointid", "url", "contract", "messageformat", "authtype", "description"],
    `name eq ${quoted(ENDPOINT_NAME)}`,
  );
  let endpointId: string;
  let endpoint: Action;
  if (!existing) {
    endpointId = String(
      await api.create({ collection: "serviceendpoints", data: { ...endpointFields, authvalue: options.secret } }),
    );
    endpoint = "created";
  } else {
    endpointId = String(existing.serviceendpointid);
    const differs = (Object.keys(endpointFields) as (keyof typeof endpointFields)[]).some(
      (k) => k !== "name" && existing[k] !== endpointFields[k],
    );
    if (differs) {
      await api.update({
        collection: "serviceendpoints",
        key: endpointId,
        data: { ...endpointFields, authvalue: options.secret },
      });
    }
    endpoint = differs ? "updated" : "unchanged";
  }

  const steps: RegistrationChanges["steps"] = [];
  const images: RegistrationChanges["images"] = [];
  for (const step of WEBHOOK_STEPS) {
    const message = await first(api, "sdkmessages", ["sdkmessageid"], `name eq ${quoted(step.message)}`);
    if (!message)
      throw new Error(`Dataverse has no '${step.message}' message; is this an org with Dynamics 365 Sales?`);
    const messageId = String(message.sdkmessageid);
    const filter = await first(
      api,
      "sdkmessagefilters",
      ["sdkmessagefilterid"],
      `primaryobjecttypecode eq 'opportunity' and _sdkmessageid_value eq ${messageId}`,
    );
    if (!filter) throw new Error(`Dataverse has no '${step.message}' message for the opportunity table.`);
    const filterId = String(filter.sdkmessagefilterid);
    const name = stepName(step.message);
    const wanted = {
      name,
      stage: 40,
      mode: 1, // asynchronous: a save never waits for Partner Center; failures become system jobs doctor lists
      rank: 1,
      asyncautodelete: true,
      statecode: 0,
      filteringattributes: step.filtering,
    };
    const found = await first(
      api,
      "sdkmessageprocessingsteps",
      [
        "sdkmessageprocessingstepid",
        "stage",
        "mode",
        "rank",
        "asyncautodelete",
        "statecode",
        "filteringattributes",
        "_eventhandler_value",
        "_sdkmessageid_value",
        "_sdkmessagefilterid_value",
      ],
      `name eq ${quoted(name)}`,
    );
    const binds: Row = {
      "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${endpointId})`,
      "sdkmessageid@odata.bind": `/sdkmessages(${messageId})`,
      "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${filterId})`,
    };
    let stepId: string;
    if (!found) {
      const { statecode: _enabled, filteringattributes, ...fields } = wanted;
      stepId = String(
        await api.create({
          collection: "sdkmessageprocessingsteps",
          data: { ...fields, ...(filteringattributes ? { filteringattributes } : {}), ...binds },
        }),
      );
      steps.push({ message: step.message, stepId, action: "created", changed: [] });
    } else {
      stepId = String(found.sdkmessageprocessingstepid);
      const changed = [
        ...(["stage", "mode", "rank", "asyncautodelete", "statecode"] as const).filter((k) => found[k] !== wanted[k]),
        ...(sameAttributes(found.filteringattributes, step.filtering) ? [] : ["filteringattributes"]),
        ...(sameId(found._eventhandler_value, endpointId) ? [] : ["eventhandler"]),
        ...(sameId(found._sdkmessageid_value, messageId) ? [] : ["sdkmessageid"]),
        ...(sameId(found._sdkmessagefilterid_value, filterId) ? [] : ["sdkmessagefilterid"]),
      ];
      if (changed.length > 0) {
        await api.update({
          collection: "sdkmessageprocessingsteps",
          key: stepId,
          data: { ...wanted, statuscode: 1, filteringattributes: step.filtering, ...binds },
        });
      }
      steps.push({ message: step.message, stepId, action: changed.length > 0 ? "updated" : "unchanged", changed });
    }

    if (step.image) images.push({ message: step.message, ...(await ensurePostImage(api, stepId, step.image)) });
  }
  return { endpointId, endpoint, steps, images };
}

async function ensurePostImage(
  api: DynamicsWebApi,
  stepId: string,
  messagePropertyName: string,
): Promise<{ imageId: string; action: Action }> {
  const wanted = {
    name: POST_IMAGE_ALIAS,
    entityalias: POST_IMAGE_ALIAS,
    imagetype: 1,
    messagepropertyname: messagePropertyName,
    attributes: OPPORTUNITY_FILTERING_ATTRIBUTES.join(","),
  };
  const found = await first(
    api,
    "sdkmessageprocessingstepimages",
    ["sdkmessageprocessingstepimageid", "imagetype", "messagepropertyname", "attributes"],
    `_sdkmessageprocessingstepid_value eq ${stepId} and entityalias eq ${quoted(POST_IMAGE_ALIAS)}`,
  );
  if (!found) {
    const imageId = await api.create({
      collection: "sdkmessageprocessingstepimages",
      data: { ...wanted, "sdkmessageprocessingstepid@odata.bind": `/sdkmessageprocessingsteps(${stepId})` },
    });
    return { imageId: String(imageId), action: "created" };
  }
  const imageId = String(found.sdkmessageprocessingstepimageid);
  const differs =
    found.imagetype !== wanted.imagetype ||
    found.messagepropertyname !== wanted.messagepropertyname ||
    !sameAttributes(found.attributes, wanted.attributes);
  if (differs) await api.update({ collection: "sdkmessageprocessingstepimages", key: imageId, data: wanted });
  return { imageId, action: differs ? "updated" : "unchanged" };
}

/**
 * The earlier entry point (sandbox, end-to-end test). "updated" means the registration existed and now matches,
 * whether or not a write was needed; `registerDataverseWebhook` tells the two apart.
 */
export async function ensureDataverseWebhook(
  api: DynamicsWebApi,
  options: { proxyUrl: string; secret: string },
): Promise<WebhookSetupResult> {
  const changes = await registerDataverseWebhook(api, options);
  const legacy = (a: Action) => (a === "created" ? "created" : "updated");
  return {
    endpointId: changes.endpointId,
    endpoint: legacy(changes.endpoint),
    steps: changes.steps.map((s) => ({ message: s.message, stepId: s.stepId, action: legacy(s.action) })),
  };
}
