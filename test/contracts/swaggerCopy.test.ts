import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

// The repo carries its own copy of Microsoft's swagger; when the shared reference sits beside the repo (as in CI), they must match.
const shared = join(__dirname, "..", "..", "..", "shared", "reference", "partner-center", "referrals.swagger.json");
const copy = join(__dirname, "partner-center", "referrals.swagger.json");

(existsSync(shared) ? it : it.skip)(
  "vendored swagger equals ../shared/reference/partner-center/referrals.swagger.json",
  () => {
    expect(readFileSync(copy, "utf8")).toBe(readFileSync(shared, "utf8"));
  },
);
