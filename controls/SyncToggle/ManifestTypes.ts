/**
 * The manifest's properties, written by hand so the code type-checks without a build (pcf-scripts writes the
 * same types to generated/ManifestTypes.d.ts). test/controls/manifest.test.ts keeps the two in step.
 */
export interface IInputs {
  syncWithPartnerCenter: ComponentFramework.PropertyTypes.TwoOptionsProperty;
  syncState: ComponentFramework.PropertyTypes.OptionSetProperty;
  readinessPackUrl: ComponentFramework.PropertyTypes.StringProperty;
}
export interface IOutputs {
  syncWithPartnerCenter?: boolean;
}
