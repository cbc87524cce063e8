import { REFERRAL_WEBHOOK_EVENTS } from "../../plugins-ts/src/partnerCenter/webhookSignature";
import { runSetup, type SetupIO } from "../../plugins-ts/src/setup/setup";
import { startSetupHarness, type SetupHarness } from "./setupHarness";

/**
 * Partner Center keeps one URL for the referral events. When another endpoint (an old connector flow, another
 * proxy) holds it, setup shows it and overwrites only with consent: an interactive yes, or --yes.
 */

const OTHER = "https://prod-42.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke";
let h: SetupHarness;

const answering = (answer: boolean): SetupIO & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    confirm: async (question) => {
      asked.push(question);
      return answer;
    },
  };
};
const registration = () => h.pc.context.webhooks.registration;
const ownedByOther = async () => {
  await h.pc.context.webhooks.whenIdle();
  h.pc.context.webhooks.registration = {
    SubscriberId: "other",
    WebhookUrl: OTHER,
    WebhookEvents: ["referral-created", "referral-updated", "test-created"],
    SignatureTokenToMsSignatureHeader: false,
  };
};
const setup = (overwrite: "ask" | "yes" | "no", io: SetupIO) =>
  runSetup({ connections: h.connect(), overwrite, doctor: false }, io);

beforeAll(async () => {
  h = await startSetupHarness();
}, 30_000);
afterAll(() => h.close());

describe("a Partner Center webhook owned by another endpoint", () => {
  it("is shown and left alone when the answer is no", async () => {
    await ownedByOther();
    const io = answering(false);
    const writesBefore = h.pcWrites();
    const result = await setup("ask", io);
    expect(io.asked).toHaveLength(1);
    expect(io.asked[0]).toContain(OTHER);
    expect(io.asked[0]).toContain(`${h.proxyUrl}/api/webhooks/partner-center`);
    const step = result.steps.find((s) => s.id === "partnerCenterWebhook")!;
    expect(step.ok).toBe(false);
    expect(step.summary).toContain(`the referral events go to ${OTHER}`);
    expect(registration()?.WebhookUrl).toBe(OTHER);
    expect(h.pcWrites()).toBe(writesBefore);
    expect(result.ok).toBe(false);
  });

  it("is left alone without asking under --no-overwrite", async () => {
    const io = answering(true);
    const result = await setup("no", io);
    expect(io.asked).toEqual([]);
    expect(result.steps.find((s) => s.id === "partnerCenterWebhook")?.ok).toBe(false);
    expect(registration()?.WebhookUrl).toBe(OTHER);
  });

  it("is taken over, for the four referral events, when the answer is yes", async () => {
    const io = answering(true);
    const result = await setup("ask", io);
    expect(io.asked).toHaveLength(1);
    const step = result.steps.find((s) => s.id === "partnerCenterWebhook")!;
    expect(step.ok).toBe(true);
    expect(step.changes.join("\n")).toContain(`taken over from ${OTHER}`);
    expect(registration()?.WebhookUrl).toBe(`${h.proxyUrl}/api/webhooks/partner-center`);
    expect([...(registration()?.WebhookEvents ?? [])].sort()).toEqual([...REFERRAL_WEBHOOK_EVENTS].sort());
  });

  it("is taken over without asking under --yes, and our own registration is never asked about", async () => {
    await ownedByOther();
    const yes = answering(false);
    await setup("yes", yes);
    expect(yes.asked).toEqual([]);
    expect(registration()?.WebhookUrl).toBe(`${h.proxyUrl}/api/webhooks/partner-center`);
    const again = answering(false);
    const result = await setup("ask", again);
    expect(again.asked).toEqual([]);
    expect(result.writes).toBe(0);
  });

  it("with our URL but events missing, adds them without asking", async () => {
    await h.pc.context.webhooks.whenIdle();
    h.pc.context.webhooks.registration = {
      SubscriberId: "ours",
      WebhookUrl: `${h.proxyUrl}/api/webhooks/partner-center`,
      WebhookEvents: ["referral-created"],
      SignatureTokenToMsSignatureHeader: false,
    };
    const io = answering(false);
    const result = await setup("ask", io);
    expect(io.asked).toEqual([]);
    expect(result.steps.find((s) => s.id === "partnerCenterWebhook")?.changes).toEqual(["registration updated"]);
    expect([...(registration()?.WebhookEvents ?? [])].sort()).toEqual([...REFERRAL_WEBHOOK_EVENTS].sort());
  });
});
