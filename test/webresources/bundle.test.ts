import * as vm from "node:vm";
import { buildSync } from "esbuild";
import { XrmMockGenerator } from "xrm-mock";
import { SYNC_STATE_VALUES } from "../../domain/choices";
import { bundleOptions, WEBRESOURCE_NAME } from "../../webresources/bundleOptions";
import { FakeProxy } from "./fakeProxy";
import { FormHarness, OPPORTUNITY_ID, readyValues } from "./formHarness";
import type * as FormModule from "../../webresources/src/opportunityForm";

/**
 * The built web resource, not the sources: bundled in memory with the production settings, run in a fresh
 * V8 context that has only what a browser page offers (no require, no process), driven through the global
 * `Pcs.OpportunityForm` exactly as the form's event handlers call it.
 */
function bundle(): string {
  const result = buildSync({ ...bundleOptions, write: false, outfile: `/virtual/${WEBRESOURCE_NAME}` });
  expect(result.outputFiles).toHaveLength(1);
  return result.outputFiles[0]!.text;
}

describe("built web resource opportunityForm.js", () => {
  let code: string;
  beforeAll(() => {
    code = bundle();
  });

  it("is one IIFE assigning the namespace Pcs.OpportunityForm", () => {
    expect(code).toMatch(/^"use strict";var Pcs=Pcs\|\|\{\};Pcs\.OpportunityForm=\(\(\)=>\{/);
    expect(code.trimEnd().endsWith("})();")).toBe(true);
    expect(code).not.toMatch(/\brequire\(/);
    expect(code).not.toMatch(/\bimport\(/);
  });

  it("runs in a bare browser-like context and its onLoad drives the form", () => {
    const form = new FormHarness({
      values: {
        ...readyValues(),
        pcs_syncwithpartnercenter: true,
        pcs_syncstate: SYNC_STATE_VALUES.Error,
        pcs_lastsyncerror: "Proxy said no.",
      },
    });
    const sandbox: Record<string, unknown> = {
      Xrm: (globalThis as { Xrm?: unknown }).Xrm,
      console,
      setTimeout,
      clearTimeout,
      URL,
      AbortController,
      Intl,
      fetch: () => Promise.reject(new Error("no network on load")),
    };
    vm.createContext(sandbox);
    vm.runInContext(code, sandbox, { filename: WEBRESOURCE_NAME });
    const library = (sandbox.Pcs as { OpportunityForm: Record<string, unknown> }).OpportunityForm;
    expect(Object.keys(library).sort()).toEqual(
      ["isSyncNowEnabled", "onCloseDialogSave", "onLoad", "onSave", "onSyncChange", "syncNow", "whenIdle"].sort(),
    );
    (library.onLoad as (c: unknown) => void)(form.eventContext());
    expect(form.notification("pcs-sync-state")).toMatchObject({
      level: "ERROR",
      message: "The last Partner Center sync failed: Proxy said no.",
    });
    expect((library.isSyncNowEnabled as (fc: unknown) => boolean)(XrmMockGenerator.getFormContext())).toBe(true);
  });

  it("the built handlers sync through a real proxy after a save (ES2017 output, fetch, timers)", async () => {
    const proxy = await new FakeProxy().start();
    try {
      const form = new FormHarness({ values: { ...readyValues(), pcs_syncwithpartnercenter: true }, languageId: 1042 });
      form.useProxy(proxy.url);
      const sandbox: Record<string, unknown> = {
        Xrm: (globalThis as { Xrm?: unknown }).Xrm,
        console,
        setTimeout,
        clearTimeout,
        URL,
        AbortController,
        Intl,
        fetch,
      };
      vm.createContext(sandbox);
      vm.runInContext(code, sandbox, { filename: WEBRESOURCE_NAME });
      const library = (sandbox.Pcs as { OpportunityForm: typeof FormModule }).OpportunityForm;
      form.registerHandlers(library);
      library.onLoad(form.eventContext());
      form.setValue("estimatedvalue", 310000);
      await form.save();
      await library.whenIdle();
      expect(proxy.syncRequests.map((r) => r.body)).toEqual([{ opportunityId: OPPORTUNITY_ID, trigger: "save" }]);
      expect(form.notification("pcs-sync-result")).toMatchObject({
        level: "INFO",
        message: "추천 7b0a4d2c-1111-4222-8333-944445555666(으)로 Partner Center와 공유했습니다.",
      });
    } finally {
      await proxy.stop();
    }
  });

  it("holds no secret and no environment-specific configuration", () => {
    // msal-browser's protocol constants (parameter names such as "client_secret", the well-known
    // Microsoft-account tenant id, the browser-extension broker's channel id) are library text, not
    // configuration: they are allowed, values are not.
    const MSAL_PUBLIC_IDS = ["9188040d-6c67-4c5b-b112-36a304b66dad", "53ee284d-920a-4b59-9d30-a60315b26836"];
    const text = MSAL_PUBLIC_IDS.reduce((rest, id) => rest.split(id).join(""), code);
    const forbidden: [string, RegExp][] = [
      ["client secret value", /client_?secret["']?\s*[:=]\s*["'][^"']{6,}["']/i],
      ["password value", /(password|pwd)["']?\s*[:=]\s*["'](?!password["'])[^"']{4,}["']/i],
      ["private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
      ["JWT", /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
      ["bearer token literal", /Bearer [A-Za-z0-9._-]{16,}/],
      ["webhook key", /webhookkey/i],
      ["Node environment", /process\.env/],
      ["local development URL", /(localhost|127\.0\.0\.1)(:\d+)?/],
      ["a Dynamics org URL", /https:\/\/[a-z0-9-]+\.crm\d*\.dynamics\.com/i],
      ["an Entra tenant or app id (GUID)", /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i],
      ["a sign-in scope", /api:\/\/[a-z0-9-]+/i],
    ];
    const found = forbidden.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
    expect(found).toEqual([]);
  });

  it("reads its configuration at run time from the environment variables", () => {
    expect(code).toContain("pcs_ProxyUrl");
    expect(code).toContain("pcs_SignInClientId");
  });

  it("stays within a sane size for a form script (msal-browser is most of it)", () => {
    expect(Buffer.byteLength(code)).toBeLessThan(600 * 1024);
  });
});
