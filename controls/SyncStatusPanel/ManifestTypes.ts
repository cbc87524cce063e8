/**
 * The manifest's properties, written by hand so the code type-checks without a build (pcf-scripts writes the
 * same types to generated/ManifestTypes.d.ts). test/controls/manifest.test.ts keeps the two in step.
 */
export interface IInputs {
  syncState: ComponentFramework.PropertyTypes.OptionSetProperty;
  dailyBudget: ComponentFramework.PropertyTypes.WholeNumberProperty;
  pageSize: ComponentFramework.PropertyTypes.WholeNumberProperty;
}
// The panel writes nothing through its properties (Sync now and Retry go through context.webAPI).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface IOutputs {}
