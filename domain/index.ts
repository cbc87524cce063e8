/**
 * The domain core: pure rules shared by the controls, the web resources and the referral proxy.
 * Nothing here performs I/O or reads a clock; callers pass `now` and the data.
 */
export * from "./calendarDate";
export * from "./utcInstant";
export * from "./choices";
export * from "./countryResolution";
export * from "./currencyValidation";
export * from "./defaultReferenceData";
export * from "./failureHints";
export * from "./fieldOwnership";
export * from "./fingerprint";
export * from "./isoTables";
export * from "./messages";
export * from "./opportunitySnapshot";
export * from "./readinessRules";
export * from "./referral";
export * from "./referralMapping";
export * from "./referralPatch";
export * from "./referralProjection";
export * from "./referenceData";
export * from "./statusMapping";
export * from "./syncApi";
