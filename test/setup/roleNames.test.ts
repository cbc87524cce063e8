import { INTEGRATION_ROLES } from "../../plugins-ts/src/setup/dataverseRoles";
import { INTEGRATION_ROLE } from "../../solution/packer/securityRoles";

describe("role names", () => {
  it("doctor looks for the integration role under the name the solution ships it with", () => {
    expect(INTEGRATION_ROLES).toContain(INTEGRATION_ROLE.name.en);
  });
});
