import { createDataverseEmulator } from "./server";

/** `npm run emulate:dataverse -- --port <n> [--seed <file>] [--snapshot <file>]` */

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return undefined;
  const value = process.argv[index + 1];
  if (value === undefined || value.startsWith("--")) {
    console.error(`--${name} needs a value.`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const portText = argument("port") ?? "0";
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    console.error(`--port must be an integer from 0 to 65535, got '${portText}'.`);
    process.exit(2);
  }
  const emulator = await createDataverseEmulator({
    port: Number(portText),
    host: argument("host") ?? "127.0.0.1",
    seed: argument("seed"),
    snapshotFile: argument("snapshot"),
  });
  console.log(`Dataverse emulator listening at ${emulator.url} (Web API ${emulator.apiUrl})`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
