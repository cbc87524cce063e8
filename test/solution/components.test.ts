import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PRODUCT_TABLES } from "../../solution/schema";
import { ENVIRONMENT_VARIABLES } from "../../solution/packer/environmentVariables";
import { SECURITY_ROLES } from "../../solution/packer/securityRoles";
import { ENVIRONMENT_VARIABLES as FORM_SCRIPT_VARIABLES } from "../../webresources/src/environmentVariables";

/** The solution's own definitions against the code that relies on them. */

describe("environment variable definitions", () => {
  it("define every variable the form script reads", () => {
    const defined = ENVIRONMENT_VARIABLES.map((v) => v.schemaName);
    for (const name of Object.values(FORM_SCRIPT_VARIABLES)) expect(defined).toContain(name);
  });

  it("agree with the Dataverse emulator's seed on names and defaults", () => {
    const seed = JSON.parse(
      readFileSync(join(__dirname, "..", "emulators", "dataverse", "seed", "seed.json"), "utf8"),
    ) as { rows: { environmentvariabledefinition?: { schemaname: string; defaultvalue?: string | null }[] } };
    const seeded = seed.rows.environmentvariabledefinition ?? [];
    expect(seeded.map((r) => r.schemaname).sort()).toEqual(ENVIRONMENT_VARIABLES.map((v) => v.schemaName).sort());
    for (const row of seeded) {
      const definition = ENVIRONMENT_VARIABLES.find((v) => v.schemaName === row.schemaname);
      expect([row.schemaname, row.defaultvalue ?? null]).toEqual([row.schemaname, definition?.defaultValue ?? null]);
    }
  });
});

describe("security roles", () => {
  const customPrivilege = /^prv(?:Create|Read|Write|Delete|Append|AppendTo|Assign|Share)(pcs_\w+)$/;

  it("name the product tables by their schema names in custom-table privileges", () => {
    const schemaNames = PRODUCT_TABLES.map((t) => t.schemaName);
    const named = SECURITY_ROLES.flatMap((r) => r.privileges.map((p) => customPrivilege.exec(p.name)?.[1]));
    const custom = named.filter((n): n is string => n !== undefined);
    expect(custom.length).toBeGreaterThan(5);
    for (const table of custom) expect(schemaNames).toContain(table);
  });

  it("give organization-owned product tables only Global depth, and give each privilege a reason", () => {
    const orgOwned = new Set(
      PRODUCT_TABLES.filter((t) => t.ownership === "OrganizationOwned").map((t) => t.schemaName),
    );
    for (const role of SECURITY_ROLES) {
      for (const privilege of role.privileges) {
        const table = customPrivilege.exec(privilege.name)?.[1];
        if (table && orgOwned.has(table)) expect([privilege.name, privilege.depth]).toEqual([privilege.name, "Global"]);
        expect(privilege.why.length).toBeGreaterThan(10);
      }
    }
  });

  it("let sellers read the audit history and write the toggle, and keep setup privileges away from them", () => {
    const seller = SECURITY_ROLES.find((r) => r.key === "seller")!;
    const names = seller.privileges.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["prvReadpcs_ReferralSyncAudit", "prvWriteOpportunity"]));
    expect(names.filter((n) => /ServiceEndpoint|SdkMessage|ActOnBehalf|Createpcs_/.test(n))).toEqual([]);
  });
});
