import { badRequest } from "./errors";
import type { Row, Store } from "./store";
import { isEntityRef } from "./values";

/**
 * The platform's own checks on webhook registrations, so setup code that would be refused by a real org
 * is refused here too (register-web-hook.md; plug-in step registration rules).
 */
export function checkPlatformRow(store: Store, table: string, row: Row): void {
  if (table === "serviceendpoint" && row.contract === 8) {
    const url = typeof row.url === "string" ? row.url : "";
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
      throw badRequest(`A webhook service endpoint needs an absolute http(s) url; got '${url}'.`);
    }
    if (![4, 5, 6].includes(Number(row.authtype))) {
      throw badRequest(
        "A webhook service endpoint needs authtype 4 (WebhookKey), 5 (HttpHeader) or 6 (HttpQueryString).",
      );
    }
    if (typeof row.authvalue !== "string" || !row.authvalue.trim()) {
      throw badRequest(
        "A webhook service endpoint needs an authvalue (the key, or the <settings> of headers / query string).",
      );
    }
    if (
      Number(row.authtype) !== 4 &&
      !/<settings>[\s\S]*<setting\s+name="[^"]+"\s+value="[^"]*"\s*\/>[\s\S]*<\/settings>/.test(row.authvalue)
    ) {
      throw badRequest(
        'HttpHeader and HttpQueryString auth values are <settings><setting name="…" value="…" /></settings>.',
      );
    }
  }
  if (table === "sdkmessageprocessingstep") {
    if (row.mode === 1 && row.stage !== 40) {
      throw badRequest("An asynchronous step must be registered in the PostOperation stage (40).");
    }
    if (!isEntityRef(row.sdkmessageid)) throw badRequest("A step needs sdkmessageid (the message it runs on).");
    const message = store.get("sdkmessage", row.sdkmessageid.id);
    const filtering = typeof row.filteringattributes === "string" ? row.filteringattributes.trim() : "";
    if (filtering && message?.name !== "Update") {
      throw badRequest(`Filtering attributes apply to the Update message only, not '${String(message?.name)}'.`);
    }
    if (isEntityRef(row.sdkmessagefilterid)) {
      const filter = store.get("sdkmessagefilter", row.sdkmessagefilterid.id);
      if (!isEntityRef(filter?.sdkmessageid) || filter.sdkmessageid.id !== row.sdkmessageid.id) {
        throw badRequest("The step's sdkmessagefilterid belongs to another message than its sdkmessageid.");
      }
    }
  }
  if (table === "sdkmessageprocessingstepimage" && ![0, 1, 2].includes(Number(row.imagetype))) {
    throw badRequest("An image needs imagetype 0 (PreImage), 1 (PostImage) or 2 (Both).");
  }
}
