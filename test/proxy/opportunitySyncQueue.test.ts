import type { SyncResponse } from "../../domain";
import type { OutboundRequest } from "../../plugins-ts/src/sync/outboundSync";
import { OpportunitySyncQueue } from "../../plugins-ts/src/sync/opportunitySyncQueue";

/** A sync that stays open until the test lets it finish, recording what ran and how many ran at once. */
function harness() {
  const started: OutboundRequest[] = [];
  const releases: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const start = (request: OutboundRequest) =>
    new Promise<SyncResponse>((resolve) => {
      started.push(request);
      running++;
      most = Math.max(most, running);
      releases.push(() => {
        running--;
        resolve({ outcome: "updated", correlationId: `run-${started.length}` } as SyncResponse);
      });
    });
  const finishNext = async () => {
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, start, finishNext, most: () => most };
}

const req = (over: Partial<OutboundRequest> = {}): OutboundRequest => ({
  opportunityId: "opp-1",
  trigger: "dataverse-webhook",
  ...over,
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("one sync per opportunity at a time, bursts folded", () => {
  it("a burst of five events runs as the first sync and one follow-up, never side by side", async () => {
    const queue = new OpportunitySyncQueue();
    const h = harness();
    const first = queue.run("app", req(), h.start);
    await tick();
    // Four more saves while the first sync runs.
    const answers = [first, ...Array.from({ length: 4 }, () => queue.run("app", req(), h.start))];
    await tick();
    expect(h.started).toHaveLength(1);
    await h.finishNext();
    expect(h.started).toHaveLength(2);
    await h.finishNext();
    const results = await Promise.all(answers);
    expect(h.started).toHaveLength(2);
    expect(h.most()).toBe(1);
    // The four folded events share the follow-up's answer.
    expect(new Set(results.slice(1).map((r) => r.correlationId))).toEqual(new Set(["run-2"]));
    expect(queue.busy).toBe(0);
  });

  it("does not fold different identities, but still runs them one after the other", async () => {
    const queue = new OpportunitySyncQueue();
    const h = harness();
    void queue.run("app", req(), h.start);
    void queue.run("seller:a", req({ trigger: "save" }), h.start);
    void queue.run("seller:b", req({ trigger: "save" }), h.start);
    await tick();
    await h.finishNext();
    await h.finishNext();
    await h.finishNext();
    expect(h.started.map((r) => r.trigger)).toEqual(["dataverse-webhook", "save", "save"]);
    expect(h.most()).toBe(1);
  });

  it("runs different opportunities side by side", async () => {
    const queue = new OpportunitySyncQueue();
    const h = harness();
    void queue.run("app", req({ opportunityId: "a" }), h.start);
    void queue.run("app", req({ opportunityId: "b" }), h.start);
    await tick();
    expect(h.started).toHaveLength(2);
  });

  it("a folded real change outweighs echoes, and Sync now keeps its urgency", async () => {
    const queue = new OpportunitySyncQueue();
    const h = harness();
    void queue.run("app", req(), h.start);
    await tick();
    void queue.run("app", req({ echo: true }), h.start);
    void queue.run("app", req({ trigger: "sync-now" }), h.start);
    void queue.run("app", req({ echo: true }), h.start);
    await tick();
    await h.finishNext();
    expect(h.started[1]).toMatchObject({ trigger: "sync-now", echo: false });
  });

  it("requests that arrive before the first run starts join it: nothing has been read yet", async () => {
    const queue = new OpportunitySyncQueue();
    const h = harness();
    const a = queue.run("app", req(), h.start);
    const b = queue.run("app", req({ trigger: "sync-now" }), h.start);
    await tick();
    await h.finishNext();
    expect(await a).toBe(await b);
    expect(h.started).toEqual([{ opportunityId: "opp-1", trigger: "sync-now", echo: false }]);
  });

  it("a failed run does not stop the next one", async () => {
    const queue = new OpportunitySyncQueue();
    const failing = queue.run("app", req(), () => Promise.reject(new Error("Dataverse is down")));
    await tick();
    const next = queue.run("app", req(), () => Promise.resolve({ outcome: "unchanged" } as SyncResponse));
    await expect(failing).rejects.toThrow("Dataverse is down");
    await expect(next).resolves.toMatchObject({ outcome: "unchanged" });
  });
});
