import type { DynamicsWebApi } from "dynamics-web-api";

/** Sets the current value of environment variables (creates the value row, or updates it), as an admin would. */
export async function setEnvironmentVariables(api: DynamicsWebApi, values: Record<string, string>): Promise<void> {
  for (const [schemaName, value] of Object.entries(values)) {
    const page = await api.retrieveMultiple({
      collection: "environmentvariabledefinitions",
      select: ["environmentvariabledefinitionid"],
      filter: `schemaname eq '${schemaName}'`,
      expand: [
        { property: "environmentvariabledefinition_environmentvariablevalue", select: ["environmentvariablevalueid"] },
      ],
    });
    const definition = page.value[0] as Record<string, unknown> | undefined;
    if (!definition) throw new Error(`The sandbox org has no environment variable ${schemaName}.`);
    const existing = (
      definition.environmentvariabledefinition_environmentvariablevalue as Record<string, unknown>[] | undefined
    )?.[0];
    if (existing) {
      await api.update({
        collection: "environmentvariablevalues",
        key: String(existing.environmentvariablevalueid),
        data: { value },
      });
    } else {
      await api.create({
        collection: "environmentvariablevalues",
        data: {
          schemaname: schemaName,
          value,
          "EnvironmentVariableDefinitionId@odata.bind": `/environmentvariabledefinitions(${String(definition.environmentvariabledefinitionid)})`,
        },
      });
    }
  }
}
