import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DataverseEmulator } from "../emulators/dataverse/server";
import { clientFor, failure, SEED, startEmulator } from "./fixture";

type Row = Record<string, unknown>;

describe("persistence, reset and the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "dv-emulator-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps data across a restart with a snapshot file, and reset returns to the seed", async () => {
    const file = join(dir, "snapshot.json");
    let emulator: DataverseEmulator = await startEmulator({ snapshotFile: file });
    const id = String(
      await clientFor(emulator).create({ collection: "accounts", data: { name: "Survives restarts" } }),
    );
    await emulator.close();

    emulator = await startEmulator({ snapshotFile: file });
    try {
      const api = clientFor(emulator);
      const row = (await api.retrieve({ collection: "accounts", key: id, select: ["name"] })) as Row;
      expect(row.name).toBe("Survives restarts");
      const reset = await fetch(`${emulator.url}/emulator/reset`, { method: "POST" });
      expect(reset.status).toBe(204);
      expect((await failure(api.retrieve({ collection: "accounts", key: id }))).status).toBe(404);
      expect(await api.count({ collection: "accounts" })).toBe(5);
    } finally {
      await emulator.close();
    }
  });

  it("starts from the CLI on the given port and prints its URL", async () => {
    const child = spawn(
      process.execPath,
      [require.resolve("tsx/cli"), "test/emulators/dataverse/cli.ts", "--port", "0"],
      {
        cwd: join(__dirname, "..", ".."),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening at (http:\/\/\S+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`CLI exited with ${String(code)}: ${out}`)));
      });
      const response = await fetch(`${url}/api/data/v9.2/WhoAmI`, { headers: { authorization: "Bearer t" } });
      expect(((await response.json()) as Row).UserId).toBe(SEED.users.integration);
    } finally {
      child.kill("SIGTERM");
    }
  }, 20_000);

  it("refuses a bad --port", async () => {
    const child = spawn(
      process.execPath,
      [require.resolve("tsx/cli"), "test/emulators/dataverse/cli.ts", "--port", "http"],
      {
        cwd: join(__dirname, "..", ".."),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(2);
    expect(err).toContain("--port must be an integer");
  }, 20_000);
});

describe("closing an opportunity", () => {
  let emulator: DataverseEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it("refuses Won/Lost through Update and closes through WinOpportunity", async () => {
    const api = clientFor(emulator);
    const e = await failure(
      api.update({
        collection: "opportunities",
        key: SEED.opportunities.contosoReady,
        data: { statecode: 1, statuscode: 3 },
      }),
    );
    expect(e.status).toBe(400);
    expect(e.message).toContain("WinOpportunity");
    await api.callAction({
      actionName: "WinOpportunity",
      action: {
        OpportunityClose: {
          subject: "Won",
          "opportunityid@odata.bind": `/opportunities(${SEED.opportunities.contosoReady})`,
        },
        Status: 3,
      },
    });
    const row = (await api.retrieve({
      collection: "opportunities",
      key: SEED.opportunities.contosoReady,
      select: ["statecode", "statuscode"],
      includeAnnotations: "*",
    })) as Row;
    expect(row.statecode_Formatted).toBe("Won");
    expect(row.statuscode).toBe(3);
    const again = await failure(
      api.callAction({
        actionName: "LoseOpportunity",
        action: {
          OpportunityClose: { "opportunityid@odata.bind": `/opportunities(${SEED.opportunities.contosoReady})` },
          Status: 4,
        },
      }),
    );
    expect(again.status).toBe(400);
    expect(again.message).toContain("not open");
  });
});

describe("CORS for the sandbox's browser pages (raw HTTP: this is what a browser sends)", () => {
  let emulator: DataverseEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ corsOrigins: ["http://localhost:3000"] });
  });
  afterAll(() => emulator.close());

  it("answers the preflight and exposes OData-EntityId/ETag to an allowed origin only", async () => {
    const preflight = await fetch(`${emulator.apiUrl}accounts`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,prefer,odata-version",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("authorization,prefer,odata-version");
    const created = await fetch(`${emulator.apiUrl}accounts`, {
      method: "POST",
      headers: { origin: "http://localhost:3000", authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ name: "From the browser" }),
    });
    expect(created.status).toBe(204);
    expect(created.headers.get("access-control-expose-headers")).toContain("OData-EntityId");
    const other = await fetch(`${emulator.apiUrl}accounts?$top=1`, {
      headers: { origin: "https://evil.example", authorization: "Bearer t" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
