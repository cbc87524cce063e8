import { createInterface } from "node:readline/promises";
import { loadProxyConfigOrExit } from "./server/proxyConfig";
import { setupText } from "./setup/reportText";
import { runSetup, type SetupOptions } from "./setup/setup";
import { connect } from "./setup/setupConnections";

/**
 * `npm run setup [-- --sign-in] [--yes | --no-overwrite] [--json]`: signs the integration user in (device code,
 * once, real mode), verifies the roles, sets the environment variable values, registers the Dataverse and Partner
 * Center webhooks, then runs doctor. Same configuration as the proxy (PCS_* variables). Exit code 0 when every step and check passed, 1 otherwise, 2 for bad configuration or flags.
 */

const USAGE = "usage: npm run setup -- [--sign-in] [--yes | --no-overwrite] [--json]";

function overwriteFlag(args: string[]): SetupOptions["overwrite"] {
  const unknown = args.filter((a) => !["--yes", "--no-overwrite", "--json", "--sign-in"].includes(a));
  if (unknown.length > 0 || (args.includes("--yes") && args.includes("--no-overwrite"))) {
    console.error(
      unknown.length
        ? `Unknown argument ${unknown.join(" ")}.\n${USAGE}`
        : `--yes and --no-overwrite exclude each other.\n${USAGE}`,
    );
    process.exit(2);
  }
  if (args.includes("--yes")) return "yes";
  if (args.includes("--no-overwrite")) return "no";
  return "ask";
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const overwrite = overwriteFlag(args);
  const json = args.includes("--json");
  const config = loadProxyConfigOrExit(process.env);
  const connections = connect(config);
  if (args.includes("--sign-in")) {
    if (!connections.signIn) console.error("emulator mode: the integration user needs no sign-in");
    else
      console.error(`signed in to Partner Center as ${await connections.signIn((message) => console.error(message))}`);
  }
  const result = await runSetup(
    { connections, overwrite },
    {
      confirm: async (question) => {
        // Without a terminal nobody can answer: refuse, and say how to decide non-interactively.
        if (!process.stdin.isTTY) {
          console.error(`${question}\nNo terminal to ask on: not overwriting (pass --yes to take it over).`);
          return false;
        }
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
        } finally {
          rl.close();
        }
      },
      progress: json ? undefined : (line) => console.error(line),
    },
  );
  console.log(json ? JSON.stringify(result, null, 2) : setupText(result));
  process.exit(result.ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
