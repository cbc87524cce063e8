/**
 * Localized text for the controls. Every string comes from the control's resx (context.resources), whose
 * keys are UI keys (`toggle.*`, `panel.*`, `field.*`, …) and the domain's message keys (`readiness.*`), so
 * the controls do not bundle the domain's catalogue. The resx files are generated: see controls/tools/resx.ts.
 */

export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: string, params?: Params) => string;

/** Fills `{name}` placeholders; one without a parameter stays visible, as in the domain's formatMessage. */
export function fillTemplate(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The platform answers an unknown key with the key itself; the test mock throws, and we answer like the platform. */
export function createTranslator(resources: Pick<ComponentFramework.Resources, "getString">): Translate {
  return (key, params) => {
    let template: string;
    try {
      template = resources.getString(key);
    } catch {
      template = key;
    }
    return fillTemplate(template, params);
  };
}

/** Whether a key exists in the resx (the platform returns the key itself when it does not). */
export function hasString(resources: Pick<ComponentFramework.Resources, "getString">, key: string): boolean {
  try {
    const value = resources.getString(key);
    return value !== key && value !== "";
  } catch {
    return false;
  }
}

/** BCP 47 locale for the languages the controls ship (1033, 1042). */
export function localeOf(lcid: number): string {
  return lcid === 1042 ? "ko-KR" : "en-US";
}

/**
 * A UTC instant shifted so that formatting it in the browser's zone shows the wall time of the user's
 * Dataverse time zone (offset in minutes east of UTC, from userSettings.getTimeZoneOffsetMinutes).
 */
export function inUserZone(instant: Date, offsetMinutes: unknown): Date {
  if (typeof offsetMinutes !== "number" || !Number.isFinite(offsetMinutes)) return instant;
  return new Date(instant.getTime() + (offsetMinutes + instant.getTimezoneOffset()) * 60_000);
}
