import { request } from "node:http";
import { tableByLogicalName } from "../../solution/schema";

/**
 * context.webAPI over HTTP against the Dataverse emulator, as the platform implements it: logical names
 * mapped to entity sets, formatted-value annotations requested, a page size through odata.maxpagesize,
 * nextLink handed back for paging, updates with If-Match: *. Uses node:http (jsdom has no fetch).
 */

type Entity = ComponentFramework.WebApi.Entity;

function send(
  apiUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(path, apiUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          "odata-version": "4.0",
          prefer: 'odata.include-annotations="*"',
          ...(payload ? { "content-type": "application/json" } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
          const status = res.statusCode ?? 0;
          if (status >= 400) {
            const error = (json.error ?? {}) as { message?: string; code?: string };
            reject({ message: error.message ?? `HTTP ${status}`, errorCode: error.code, status });
          } else resolve({ status, json });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

function setName(logicalName: string): string {
  const table = tableByLogicalName(logicalName);
  if (!table) throw new Error(`unknown table ${logicalName}`);
  return table.entitySetName;
}

export function dataverseWebApi(apiUrl: string, token: string) {
  return {
    async retrieveRecord(entity: string, id: string, options = ""): Promise<Entity> {
      return (await send(apiUrl, token, "GET", `${setName(entity)}(${id})${options}`)).json as Entity;
    },
    async retrieveMultipleRecords(entity: string, options = "", maxPageSize?: number) {
      const headers: Record<string, string> = maxPageSize
        ? { prefer: `odata.include-annotations="*",odata.maxpagesize=${maxPageSize}` }
        : {};
      const { json } = await send(apiUrl, token, "GET", `${setName(entity)}${options}`, undefined, headers);
      return {
        entities: (json.value as Entity[]) ?? [],
        nextLink: typeof json["@odata.nextLink"] === "string" ? json["@odata.nextLink"] : undefined,
      } as ComponentFramework.WebApi.RetrieveMultipleResponse;
    },
    async updateRecord(entity: string, id: string, data: Entity) {
      await send(apiUrl, token, "PATCH", `${setName(entity)}(${id})`, data, { "if-match": "*" });
      return { id, entityType: entity } as ComponentFramework.LookupValue;
    },
    async createRecord(entity: string, data: Entity) {
      await send(apiUrl, token, "POST", setName(entity), data);
      return { id: "", entityType: entity } as ComponentFramework.LookupValue;
    },
  };
}
