// The root tsconfig lists only node and jest types; the controls also need the PCF namespace.
/// <reference types="powerapps-component-framework" />
