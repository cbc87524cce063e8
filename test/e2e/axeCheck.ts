import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ARTIFACTS_DIR } from "./browserSession";

/**
 * axe-core (node_modules/axe-core/axe.min.js) run in the page. Each finding is marked as inside a hosted PCF
 * control or not, because the sandbox fixes its own pages while the controls belong to controls/.
 */

export interface AxeFinding {
  rule: string;
  impact: string | null;
  help: string;
  target: string;
  /** axe's own explanation (e.g. the measured contrast ratio). */
  summary: string;
  inControl: boolean;
}

const AXE = join(__dirname, "..", "..", "node_modules", "axe-core", "axe.min.js");

export async function axeFindings(page: Page, reportName: string): Promise<AxeFinding[]> {
  await page.addScriptTag({ content: readFileSync(AXE, "utf8") });
  const findings = await page.evaluate(async () => {
    interface Violation {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[]; failureSummary?: string }[];
    }
    const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: Violation[] }> } })
      .axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => {
        const target = n.target.join(" ");
        return {
          rule: v.id,
          impact: v.impact,
          help: v.help,
          target,
          summary: n.failureSummary ?? "",
          inControl: !!document.querySelector(target)?.closest(".pcf-slot"),
        };
      }),
    );
  });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  writeFileSync(join(ARTIFACTS_DIR, `axe-${reportName}.json`), JSON.stringify(findings, null, 2));
  return findings;
}
