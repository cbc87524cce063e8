import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DynamicsWebApi } from "dynamics-web-api";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { clientFor, failure, SEED, startEmulator } from "./fixture";

/** A webhook receiver that records each POST and answers with scripted statuses (200 when none is left). */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}
const received: Received[] = [];
const scripted: number[] = [];
let receiver: Server;
let receiverUrl: string;
let emulator: DataverseEmulator;
let api: DynamicsWebApi;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as Record<string, unknown>,
      });
      res.statusCode = scripted.shift() ?? 200;
      res.end("ignored");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  emulator = await startEmulator();
  api = clientFor(emulator);
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  emulator.reset();
  received.length = 0;
  scripted.length = 0;
});

type Row = Record<string, unknown>;
type KeyValue = { key: string; value: unknown };

/** Registers an endpoint, a step and optionally a post-image the way setup does, through the Web API. */
async function register(options: {
  message: "Create" | "Update" | "Win";
  mode: 0 | 1;
  filtering?: string;
  auth?: { type: 4 | 5 | 6; value: string };
  postImage?: string;
  path?: string;
}): Promise<{ endpointId: string; stepId: string }> {
  const messages = await api.retrieveMultiple({
    collection: "sdkmessages",
    select: ["sdkmessageid"],
    filter: `name eq '${options.message}'`,
  });
  const messageId = String((messages.value[0] as Row).sdkmessageid);
  const filters = await api.retrieveMultiple({
    collection: "sdkmessagefilters",
    select: ["sdkmessagefilterid"],
    filter: `primaryobjecttypecode eq 'opportunity' and _sdkmessageid_value eq ${messageId}`,
  });
  const filterId = String((filters.value[0] as Row).sdkmessagefilterid);
  const endpointId = String(
    await api.create({
      collection: "serviceendpoints",
      data: {
        name: "Referral proxy",
        url: `${receiverUrl}${options.path ?? "/api/webhooks/dataverse"}`,
        contract: 8,
        messageformat: 2,
        authtype: options.auth?.type ?? 4,
        authvalue: options.auth?.value ?? "key-123",
      },
    }),
  );
  const stepId = String(
    await api.create({
      collection: "sdkmessageprocessingsteps",
      data: {
        name: `Referral proxy: ${options.message} of opportunity`,
        stage: 40,
        mode: options.mode,
        rank: 1,
        supporteddeployment: 0,
        filteringattributes: options.filtering ?? null,
        "sdkmessageid@odata.bind": `/sdkmessages(${messageId})`,
        "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${filterId})`,
        "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${endpointId})`,
      },
    }),
  );
  if (options.postImage !== undefined) {
    await api.create({
      collection: "sdkmessageprocessingstepimages",
      data: {
        name: "PostImage",
        entityalias: "PostImage",
        imagetype: 1,
        messagepropertyname: options.message === "Create" ? "id" : "Target",
        attributes: options.postImage,
        "sdkmessageprocessingstepid@odata.bind": `/sdkmessageprocessingsteps(${stepId})`,
      },
    });
  }
  return { endpointId, stepId };
}

const entry = (list: unknown, key: string): unknown => (list as KeyValue[]).find((kv) => kv.key === key)?.value;

describe("webhooks (service endpoint + step, RemoteExecutionContext)", () => {
  it("posts the documented context and headers on an Update that touches a filtering attribute", async () => {
    const { stepId } = await register({
      message: "Update",
      mode: 1,
      filtering: "pcs_syncwithpartnercenter,name",
      postImage: "name,parentcontactid,pcs_syncstate,estimatedvalue,estimatedclosedate,pcs_syncwithpartnercenter",
    });
    const asJiwoo = clientFor(emulator, { impersonateAAD: SEED.aad.jiwoo });
    await asJiwoo.update({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      data: { pcs_syncwithpartnercenter: true },
    });
    await emulator.webhooksIdle();

    expect(received).toHaveLength(1);
    const hook = received[0]!;
    expect(hook.path).toBe("/api/webhooks/dataverse?code=key-123");
    expect(hook.headers["x-ms-dynamics-organization"]).toBe("pcsemulator.crm.dynamics.com");
    expect(hook.headers["x-ms-dynamics-entity-name"]).toBe("opportunity");
    expect(hook.headers["x-ms-dynamics-request-name"]).toBe("Update");
    const body = hook.body;
    expect(hook.headers["x-ms-correlation-request-id"]).toBe(body.CorrelationId);
    expect(body).toMatchObject({
      MessageName: "Update",
      PrimaryEntityName: "opportunity",
      PrimaryEntityId: SEED.opportunities.contosoReady,
      Depth: 1,
      Mode: 1,
      Stage: 40,
      UserId: SEED.users.jiwoo,
      InitiatingUserId: SEED.users.integration,
      UserAzureActiveDirectoryObjectId: SEED.aad.jiwoo,
      InitiatingUserAzureActiveDirectoryObjectId: SEED.aad.integration,
      SecondaryEntityName: "none",
    });
    expect((body.OwningExtension as Row).Id).toBe(stepId);
    // Dates in DataContractJsonSerializer form, escaped slashes included.
    expect(hook.raw).toMatch(/"OperationCreatedOn":"\\\/Date\(\d+\+0000\)\\\/"/);

    const target = entry(body.InputParameters, "Target") as Row;
    expect(target.__type).toBe("Entity:http://schemas.microsoft.com/xrm/2011/Contracts");
    expect(target.LogicalName).toBe("opportunity");
    const targetKeys = (target.Attributes as KeyValue[]).map((a) => a.key).sort();
    // Only what was sent, plus the platform's own stamps: Update targets never carry the whole row.
    expect(targetKeys).toEqual(["modifiedby", "modifiedon", "opportunityid", "pcs_syncwithpartnercenter"]);
    expect(entry(target.Attributes, "pcs_syncwithpartnercenter")).toBe(true);
    expect(String(entry(target.Attributes, "modifiedon"))).toMatch(/^\/Date\(\d+\)\/$/);

    const image = entry(body.PostEntityImages, "PostImage") as Row;
    expect(entry(image.Attributes, "parentcontactid")).toMatchObject({
      __type: "EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts",
      Id: SEED.contacts.seoyeon,
      LogicalName: "contact",
      Name: "Seo-yeon Lee",
    });
    expect(entry(image.Attributes, "pcs_syncstate")).toEqual({
      __type: "OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts",
      Value: 100000000,
    });
    expect(entry(image.Attributes, "estimatedvalue")).toEqual({
      __type: "Money:http://schemas.microsoft.com/xrm/2011/Contracts",
      Value: 250000,
    });
    expect(entry(image.Attributes, "estimatedclosedate")).toBe(`/Date(${Date.parse("2027-03-31T00:00:00Z")})/`);
    expect(entry(image.Attributes, "description")).toBeUndefined();
  });

  it("does not fire when an Update touches none of the filtering attributes", async () => {
    await register({ message: "Update", mode: 1, filtering: "pcs_syncwithpartnercenter" });
    await api.update({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      data: { description: "just notes" },
    });
    await emulator.webhooksIdle();
    expect(received).toHaveLength(0);
  });

  it("fires on Create with the new id in OutputParameters and HttpHeader auth", async () => {
    await register({
      message: "Create",
      mode: 1,
      auth: { type: 5, value: '<settings><setting name="x-proxy-secret" value="s3cr&amp;t" /></settings>' },
    });
    const id = String(
      await api.create({
        collection: "opportunities",
        data: { name: "Webhook create", "customerid_account@odata.bind": `/accounts(${SEED.accounts.contoso})` },
      }),
    );
    await emulator.webhooksIdle();
    expect(received).toHaveLength(1);
    expect(received[0]!.headers["x-proxy-secret"]).toBe("s3cr&t");
    expect(received[0]!.headers["x-ms-dynamics-request-name"]).toBe("Create");
    expect(entry(received[0]!.body.OutputParameters, "id")).toBe(id);
    const target = entry(received[0]!.body.InputParameters, "Target") as Row;
    expect(entry(target.Attributes, "customerid")).toMatchObject({ Id: SEED.accounts.contoso, LogicalName: "account" });
  });

  it("rolls the write back when a synchronous webhook fails", async () => {
    await register({ message: "Update", mode: 0, filtering: "name" });
    scripted.push(500);
    const e = await failure(
      api.update({ collection: "opportunities", key: SEED.opportunities.contosoReady, data: { name: "Renamed" } }),
    );
    expect(e.status).toBe(400);
    expect(e.message).toContain("HTTP 500");
    const row = (await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      select: ["name"],
    })) as Row;
    expect(row.name).toBe("Contoso Korea – Azure migration");
    expect(received).toHaveLength(1);
  });

  it("retries 502/503/504 once and succeeds on the second attempt", async () => {
    await register({ message: "Update", mode: 0, filtering: "name" });
    scripted.push(503);
    expect(
      await api.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { name: "Renamed" },
      }),
    ).toBe(true);
    expect(received).toHaveLength(2);
    expect(received[1]!.body.CorrelationId).toBe(received[0]!.body.CorrelationId);
  });

  it("records an async failure as a failed system job, queryable by the owning step", async () => {
    const { stepId } = await register({ message: "Update", mode: 1, filtering: "name" });
    scripted.push(504, 504);
    expect(
      await api.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { name: "Renamed" },
      }),
    ).toBe(true);
    await emulator.webhooksIdle();
    expect(received).toHaveLength(2);
    const jobs = await api.retrieveMultiple({
      collection: "asyncoperations",
      select: ["name", "statecode", "statuscode", "message", "_owningextensionid_value", "_regardingobjectid_value"],
      filter: `statuscode eq 31 and _owningextensionid_value eq ${stepId}`,
      includeAnnotations: "OData.Community.Display.V1.FormattedValue",
    });
    expect(jobs.value).toHaveLength(1);
    const job = jobs.value[0] as Row;
    expect(job.statecode_Formatted).toBe("Completed");
    expect(job.statuscode_Formatted).toBe("Failed");
    expect(job.message).toContain("HTTP 504");
    expect(job._regardingobjectid_value).toBe(SEED.opportunities.contosoReady);
    // The write itself stands: async steps run after the transaction.
    const row = (await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      select: ["name"],
    })) as Row;
    expect(row.name).toBe("Renamed");
  });

  it("fires nothing for writes of a change set that rolls back, and fires after a committed one", async () => {
    await register({ message: "Create", mode: 1 });
    api.startBatch();
    void api.create({ collection: "opportunities", data: { name: "Rolled back" } });
    void api.create({ collection: "opportunities", data: { name: "x".repeat(301) } });
    await failure(api.executeBatch());
    await emulator.webhooksIdle();
    expect(received).toHaveLength(0);
    expect(await api.count({ collection: "opportunities", filter: "name eq 'Rolled back'" })).toBe(0);

    api.startBatch();
    void api.create({ collection: "opportunities", data: { name: "Committed 1" } });
    void api.create({ collection: "opportunities", data: { name: "Committed 2" } });
    await api.executeBatch();
    await emulator.webhooksIdle();
    // Async deliveries run independently, so their order is not guaranteed (as on a real org).
    const names = received.map((r) =>
      String(entry((entry(r.body.InputParameters, "Target") as Row).Attributes, "name")),
    );
    expect(names.sort()).toEqual(["Committed 1", "Committed 2"]);
  });

  it("raises Win (not Update) when an opportunity is won, with OpportunityClose and Status", async () => {
    await register({ message: "Win", mode: 1, path: "/win" });
    await register({ message: "Update", mode: 1, filtering: "statecode,statuscode", path: "/update" });
    await api.callAction({
      actionName: "WinOpportunity",
      action: {
        OpportunityClose: {
          subject: "Won at last",
          "opportunityid@odata.bind": `/opportunities(${SEED.opportunities.contosoReady})`,
        },
        Status: 3,
      },
    });
    await emulator.webhooksIdle();
    expect(received.map((r) => r.path.split("?")[0])).toEqual(["/win"]);
    const body = received[0]!.body;
    expect(body).toMatchObject({
      MessageName: "Win",
      PrimaryEntityName: "opportunity",
      PrimaryEntityId: SEED.opportunities.contosoReady,
    });
    const close = entry(body.InputParameters, "OpportunityClose") as Row;
    expect(close.LogicalName).toBe("opportunityclose");
    expect(entry(close.Attributes, "opportunityid")).toMatchObject({
      Id: SEED.opportunities.contosoReady,
      LogicalName: "opportunity",
    });
    expect(entry(close.Attributes, "subject")).toBe("Won at last");
    expect(entry(body.InputParameters, "Status")).toEqual({
      __type: "OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts",
      Value: 3,
    });
  });

  it("refuses registrations a real org refuses", async () => {
    const endpoint = (data: Row) =>
      failure(
        api.create({ collection: "serviceendpoints", data: { name: "x", contract: 8, messageformat: 2, ...data } }),
      );
    expect((await endpoint({ url: "not a url", authtype: 4, authvalue: "k" })).message).toContain(
      "absolute http(s) url",
    );
    expect((await endpoint({ url: receiverUrl, authtype: 5, authvalue: "x-key: v" })).message).toContain("<settings>");
    expect((await endpoint({ url: receiverUrl, authtype: 4 })).message).toContain("authvalue");
    await expect(register({ message: "Update", mode: 1, filtering: "name" })).resolves.toBeTruthy();
    const endpointId = String(
      await api.create({
        collection: "serviceendpoints",
        data: { name: "ok", url: receiverUrl, contract: 8, authtype: 4, authvalue: "k" },
      }),
    );
    const step = (data: Row) =>
      failure(
        api.create({
          collection: "sdkmessageprocessingsteps",
          data: {
            name: "s",
            rank: 1,
            "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${endpointId})`,
            ...data,
          },
        }),
      );
    const asyncPreOperation = await step({
      stage: 20,
      mode: 1,
      "sdkmessageid@odata.bind": `/sdkmessages(${SEED.messages.update})`,
    });
    expect(asyncPreOperation.message).toContain("PostOperation");
    const filteringOnCreate = await step({
      stage: 40,
      mode: 1,
      filteringattributes: "name",
      "sdkmessageid@odata.bind": `/sdkmessages(${SEED.messages.create})`,
    });
    expect(filteringOnCreate.message).toContain("Update message only");
    const mismatchedFilter = await step({
      stage: 40,
      mode: 1,
      "sdkmessageid@odata.bind": `/sdkmessages(${SEED.messages.create})`,
      "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${SEED.filters.updateOpportunity})`,
    });
    expect(mismatchedFilter.status).toBe(400);
  });

  it("drops images and input parameters over the size limit and says so in a header", async () => {
    const small = await startEmulator({ webhookMaxPayloadBytes: 2000 });
    try {
      const smallApi = clientFor(small);
      const messages = await smallApi.retrieveMultiple({
        collection: "sdkmessages",
        select: ["sdkmessageid"],
        filter: "name eq 'Update'",
      });
      const endpointId = String(
        await smallApi.create({
          collection: "serviceendpoints",
          data: { name: "p", url: `${receiverUrl}/big`, contract: 8, authtype: 4, authvalue: "k" },
        }),
      );
      await smallApi.create({
        collection: "sdkmessageprocessingsteps",
        data: {
          name: "big",
          stage: 40,
          mode: 1,
          rank: 1,
          "sdkmessageid@odata.bind": `/sdkmessages(${String((messages.value[0] as Row).sdkmessageid)})`,
          "sdkmessagefilterid@odata.bind": `/sdkmessagefilters(${SEED.filters.updateOpportunity})`,
          "eventhandler_serviceendpoint@odata.bind": `/serviceendpoints(${endpointId})`,
        },
      });
      await smallApi.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { description: "x".repeat(1900) },
      });
      await small.webhooksIdle();
      expect(received).toHaveLength(1);
      expect(received[0]!.headers["x-ms-dynamics-msg-size-exceeded"]).toBe("true");
      expect(received[0]!.body.InputParameters).toEqual([]);
      expect(received[0]!.body.PrimaryEntityId).toBe(SEED.opportunities.contosoReady);
    } finally {
      await small.close();
    }
  });

  it("never returns the endpoint's auth value on read", async () => {
    const { endpointId } = await register({ message: "Update", mode: 1 });
    const row = (await api.retrieve({ collection: "serviceendpoints", key: endpointId })) as Row;
    expect(row.url).toContain(receiverUrl);
    expect(row).not.toHaveProperty("authvalue");
  });
});
