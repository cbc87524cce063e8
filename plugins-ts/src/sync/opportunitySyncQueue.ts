import type { SyncResponse } from "../../../domain";
import type { OutboundRequest } from "./outboundSync";

/**
 * One sync of an opportunity at a time in this process, and requests that arrive meanwhile folded into one
 * follow-up. A burst of saves fires a Dataverse webhook (and a form call) per save; run side by side, every sync
 * would plan a PATCH from the same ETag and all but one would pay a 412, a GET and a second PATCH. Run in turn,
 * the follow-up reads the latest row and sends the burst's net change once.
 *
 * Requests fold only with requests of the same identity (`foldKey`: the seller a form call acts for, or the
 * application for webhooks and jobs), so no one's change is sent on someone else's permission. Instances on other
 * machines are not coordinated here; If-Match and the create claim keep them correct, at the cost of the 412s.
 */

type Start = (request: OutboundRequest) => Promise<SyncResponse>;

interface Waiting {
  request: OutboundRequest;
  promise: Promise<SyncResponse>;
}

interface Lane {
  /** The last run queued for this opportunity; the next one starts after it settles. */
  tail: Promise<unknown>;
  /** Queued, not yet started follow-ups, by fold key. */
  waiting: Map<string, Waiting>;
}

/** The stronger of two folded requests: a seller's Sync now keeps its urgency; one real change outweighs echoes. */
function merge(a: OutboundRequest, b: OutboundRequest): OutboundRequest {
  const rank = (r: OutboundRequest) => (r.trigger === "sync-now" ? 2 : r.trigger === "retry" ? 1 : 0);
  const stronger = rank(b) > rank(a) ? b : a;
  return { ...stronger, echo: Boolean(a.echo) && Boolean(b.echo) };
}

export class OpportunitySyncQueue {
  private readonly lanes = new Map<string, Lane>();

  run(foldKey: string, request: OutboundRequest, start: Start): Promise<SyncResponse> {
    const id = request.opportunityId;
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = { tail: Promise.resolve(), waiting: new Map() };
      this.lanes.set(id, lane);
    }
    const folded = lane.waiting.get(foldKey);
    if (folded) {
      folded.request = merge(folded.request, request);
      return folded.promise;
    }
    const current = lane;
    const waiting = { request } as Waiting;
    current.waiting.set(foldKey, waiting);
    waiting.promise = current.tail.then(
      () => this.begin(current, foldKey, waiting, start),
      () => this.begin(current, foldKey, waiting, start),
    );
    current.tail = waiting.promise;
    // The last run of an idle opportunity frees its lane.
    const release = () => {
      if (current.tail === waiting.promise && this.lanes.get(id) === current) this.lanes.delete(id);
    };
    void waiting.promise.then(release, release);
    return waiting.promise;
  }

  /** Opportunities with a run in progress or queued (for tests and health). */
  get busy(): number {
    return this.lanes.size;
  }

  private begin(lane: Lane, foldKey: string, waiting: Waiting, start: Start): Promise<SyncResponse> {
    // From here on, a new request for this key queues a new follow-up: this run may already have read the row.
    if (lane.waiting.get(foldKey) === waiting) lane.waiting.delete(foldKey);
    return start(waiting.request);
  }
}
