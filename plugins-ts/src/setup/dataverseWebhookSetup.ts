import type { DynamicsWebApi } from "dynamics-web-api";

/**
 * Registers the proxy as a Dataverse webhook (service endpoint, contract 8, WebhookKey auth) with asynchronous
 * PostOperation steps on the opportunity's Create, Update, Win and Lose. Idempotent: found by name and updated,
 * so running setup again after a URL or secret change fixes the registration in place.
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

const STEPS = [
  { message: "Create", filtering: null },
  { message: "Update", filtering: OPPORTUNITY_FILTERING_ATTRIBUTES.join(",") },
  { message: "Win", filtering: null },
  { message: "Lose", filtering: null },
] as const;

type Row = Record<string, unknown>;

export interface WebhookSetupResult {
  endpointId: string;
  endpoint: "created" | "updated";
  steps: { message: string; stepId: string; action: "created" | "updated" }[];
}

function quoted(value: string): string {
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

export async function ensureDataverseWebhook(
  api: DynamicsWebApi,
  options: { proxyUrl: string; secret: string },
): Promise<WebhookSetupResult> {
  const url = `${options.proxyUrl.replace(/\/+$/, "")}/api/webhooks/dataverse`;
  const endpointData = {
    name: ENDPOINT_NAME,
    url,
    contract: 8,
    messageformat: 2,
    authtype: 4,
    authvalue: options.secret,
  };
  const existing = await first(api, "serviceendpoints", ["serviceendpointid"], `name eq ${quoted(ENDPOINT_NAME)}`);
  let endpointId: string;
  if (existing) {
    endpointId = String(existing.serviceendpointid);
    await api.update({ collection: "serviceendpoints", key: endpointId, data: endpointData });
  } else {
    endpointId = String(await api.create({ collection: "serviceendpoints", data: endpointData }));
  }

  const steps: WebhookSetupResult["steps"] = [];
  for (const step of STEPS) {
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
    const name = `${ENDPOINT_NAME}: ${step.message} of opportunity`;
    const data: Row = {
      name,
      stage: 40,
      mode: 1, // asynchronous: a save never waits for Partner Center; failures become system jobs setup's doctor lists
      rank: 1,
      asyncautodelete: true,
      ...(step.filtering ? { filteringattributes: step.filtering } : {}),
      "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${endpointId})`,
      "sdkmessageid@odata.bind": `/sdkmessages(${messageId})`,
      "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${String(filter.sdkmessagefilterid)})`,
    };
    const found = await first(
      api,
      "sdkmessageprocessingsteps",
      ["sdkmessageprocessingstepid"],
      `name eq ${quoted(name)}`,
    );
    if (found) {
      const stepId = String(found.sdkmessageprocessingstepid);
      await api.update({ collection: "sdkmessageprocessingsteps", key: stepId, data });
      steps.push({ message: step.message, stepId, action: "updated" });
    } else {
      const stepId = String(await api.create({ collection: "sdkmessageprocessingsteps", data }));
      steps.push({ message: step.message, stepId, action: "created" });
    }
  }
  return { endpointId, endpoint: existing ? "updated" : "created", steps };
}
