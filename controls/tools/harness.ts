/**
 * Opens a built control in Microsoft's PCF test harness (pcf-start) without the internet: pcf-start's page
 * loads React 16.14.0 from unpkg.com, which is unreachable here, so this server serves the same files as
 * pcf-start (its harness at "/", the built control next to it) and rewrites the two unpkg URLs to React's
 * UMD builds in node_modules. The ISO tables web resource is served where the toggle looks for it.
 *
 *   npm run start:controls -- SyncToggle [--port 8181]      (build first: npm run build:controls)
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { CONTROLS, type ControlName } from "./resx";

const ROOT = join(__dirname, "..", "..");
const PCF_START = join(ROOT, "node_modules", "pcf-start");
const OUT = join(ROOT, "out", "controls");
const LOCAL_REACT: Record<string, string> = {
  "/_local/react.development.js": join(ROOT, "node_modules", "react", "umd", "react.development.js"),
  "/_local/react-dom.development.js": join(ROOT, "node_modules", "react-dom", "umd", "react-dom.development.js"),
};
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "text/xml; charset=utf-8",
  ".resx": "text/xml; charset=utf-8",
  ".css": "text/css",
};

/** pcf-start's index.html with React and ReactDOM from node_modules instead of unpkg.com. */
export function harnessPage(): string {
  return readFileSync(join(PCF_START, "index.html"), "utf8")
    .replace("https://unpkg.com/react@16.14.0/umd/react.development.js", "/_local/react.development.js")
    .replace("https://unpkg.com/react-dom@16.14.0/umd/react-dom.development.js", "/_local/react-dom.development.js");
}

/** Where a request path is served from: the built control first, then pcf-start's own files. */
export function resolvePath(control: ControlName, urlPath: string): string | null {
  const path = normalize(decodeURIComponent(urlPath.split("?")[0] ?? "/"));
  if (path.includes("..")) return null;
  const local = LOCAL_REACT[path];
  if (local) return local;
  if (path.startsWith("/WebResources/")) return join(OUT, "webresources", path.slice("/WebResources/".length));
  for (const base of [join(OUT, control), PCF_START]) {
    const file = join(base, path);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

/** Serves one built control in the harness; resolves with the server once it listens (port 0: any free port). */
export function startHarness(control: ControlName, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/" || url.startsWith("/index.html")) {
      res.writeHead(200, { "content-type": TYPES[".html"]! }).end(harnessPage());
      return;
    }
    const file = resolvePath(control, url);
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

if (require.main === module) {
  const control = (process.argv[2] ?? "SyncToggle") as ControlName;
  const portIndex = process.argv.indexOf("--port");
  const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 8181;
  if (!CONTROLS.includes(control)) {
    console.error(`usage: npm run start:controls -- <${CONTROLS.join("|")}> [--port n]`);
    process.exit(2);
  }
  if (!existsSync(join(OUT, control, "bundle.js"))) {
    console.error(`out/controls/${control}/bundle.js is missing: run npm run build:controls first`);
    process.exit(1);
  }
  void startHarness(control, port).then(() =>
    console.log(`PCF test harness for ${control}: http://localhost:${port}/ (React from node_modules; Ctrl+C stops)`),
  );
}
