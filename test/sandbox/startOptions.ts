/** `npm start` flags. */

export const USAGE =
  "usage: npm start -- [--port <n>] [--pc-port <n>] [--dataverse-port <n>] [--proxy-port <n>] [--fresh]";

const PORT_FLAGS = {
  "--port": "webPort",
  "--pc-port": "pcPort",
  "--dataverse-port": "dataversePort",
  "--proxy-port": "proxyPort",
} as const;

export interface StartOptions {
  webPort: number;
  pcPort: number;
  dataversePort: number;
  proxyPort: number;
  fresh: boolean;
}

export const DEFAULT_START_OPTIONS: StartOptions = {
  webPort: 7000,
  pcPort: 7101,
  dataversePort: 7102,
  proxyPort: 7100,
  fresh: false,
};

export function parseStartOptions(argv: readonly string[]): StartOptions {
  const out = { ...DEFAULT_START_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--fresh") out.fresh = true;
    else if (arg in PORT_FLAGS) {
      const value = argv[++i] ?? "";
      if (!/^\d+$/.test(value) || Number(value) > 65535) {
        throw new Error(`${arg} must be a port number from 0 to 65535, got '${value}'.\n${USAGE}`);
      }
      out[PORT_FLAGS[arg as keyof typeof PORT_FLAGS]] = Number(value);
    } else throw new Error(`Unknown argument '${arg}'.\n${USAGE}`);
  }
  return out;
}
