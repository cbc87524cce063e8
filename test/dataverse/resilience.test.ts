import { executeBatchOrThrow } from "../../plugins-ts/src/dataverse/batchOutcome";
import { DataverseGateway, DataverseRequestError } from "../../plugins-ts/src/dataverse/dataverseGateway";
import { StaticTokenProvider } from "../../plugins-ts/src/dataverse/tokenProvider";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { clientFor, failure, SEED, startEmulator } from "./fixture";

let emulator: DataverseEmulator;
let gateway: DataverseGateway;
const waits: number[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  gateway = new DataverseGateway({ serverUrl: emulator.url, tokenProvider: new StaticTokenProvider("t") }, null, {
    maxRetries: 2,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  waits.length = 0;
});

describe("service protection and faults", () => {
  it("answers a scripted 429 with Retry-After and the service-protection error", async () => {
    emulator.injectFault({ path: "accounts", status: 429, retryAfterSeconds: 7 });
    const e = (await failure(clientFor(emulator).retrieveMultiple({ collection: "accounts" }))) as unknown as {
      status: number;
      code: string;
      headers: Record<string, string>;
    };
    expect(e.status).toBe(429);
    expect(e.code).toBe("0x80072322");
    expect(e.headers["retry-after"]).toBe("7");
    // One-shot: the next request is served.
    expect(
      (await clientFor(emulator).retrieveMultiple({ collection: "accounts", select: ["name"] })).value,
    ).toHaveLength(5);
  });

  it("the gateway retries a throttled snapshot batch after Retry-After and succeeds", async () => {
    emulator.injectFault({ path: "$batch", status: 429, retryAfterSeconds: 3 });
    const before = emulator.requestCount();
    const read = await gateway.readSnapshot(SEED.opportunities.contosoReady);
    expect(read?.snapshot.name).toBe("Contoso Korea – Azure migration");
    expect(emulator.requestCount() - before).toBe(2);
    expect(waits).toEqual([3000]);
  });

  it("gives up after its retry budget with a typed error carrying Retry-After", async () => {
    emulator.injectFault({ path: "pcs_referralsyncaudits", status: 429, retryAfterSeconds: 1, times: 3 });
    const error = await gateway
      .createAudit({
        opportunityId: SEED.opportunities.contosoReady,
        direction: "CrmToPartnerCenter",
        trigger: "save",
        operation: "update",
        result: "failed",
        apiCallsUsed: 1,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataverseRequestError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 1000 });
    expect(waits).toEqual([1000, 1000]);
    expect(await clientFor(emulator).count({ collection: "pcs_referralsyncaudits" })).toBe(0);
  });

  it("does not retry other failures (a 503 may have been processed)", async () => {
    emulator.injectFault({ path: "opportunities", method: "GET", status: 503 });
    await expect(gateway.listDueRetries(new Date())).rejects.toMatchObject({ status: 503 });
    expect(waits).toEqual([]);
  });

  it("settles two concurrent writes with the same ETag: exactly one wins", async () => {
    const read = await gateway.readSnapshot(SEED.opportunities.hanbitReady);
    const [a, b] = await Promise.all([
      gateway.writeSyncFields(
        SEED.opportunities.hanbitReady,
        { syncState: "Pending", referralId: "claim-a" },
        read!.etag,
      ),
      gateway.writeSyncFields(
        SEED.opportunities.hanbitReady,
        { syncState: "Pending", referralId: "claim-b" },
        read!.etag,
      ),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const winner = a.ok ? "claim-a" : "claim-b";
    expect((await gateway.readSnapshot(SEED.opportunities.hanbitReady))?.sync.referralId).toBe(winner);
  });

  it("refuses a malformed fault rule over HTTP", async () => {
    const response = await fetch(`${emulator.url}/emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ status: 200 }),
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("status");
  });

  it("treats a failed batch part as a failure whether the batch answers 400 or 200", async () => {
    for (const continueOnError of [false, true]) {
      const client = clientFor(emulator);
      client.startBatch();
      void client.retrieve({ collection: "accounts", key: "acc00000-0000-4000-8000-0000000000dd", select: ["name"] });
      void client.retrieve({ collection: "accounts", key: SEED.accounts.contoso, select: ["name"] });
      await expect(executeBatchOrThrow(client, { continueOnError })).rejects.toMatchObject({ status: 404 });
    }
    const ok = clientFor(emulator);
    ok.startBatch();
    void ok.retrieve({ collection: "accounts", key: SEED.accounts.contoso, select: ["name"] });
    expect(((await executeBatchOrThrow(ok)) as { name: string }[])[0]?.name).toBe("Contoso Korea");
  });
});
