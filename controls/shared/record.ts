/**
 * The form's record. `context.mode.contextInfo` is not in the published typings but is what model-driven
 * forms pass to every control (entityId is empty on a new, unsaved record).
 */
interface ContextInfo {
  entityId?: string | null;
  entityTypeName?: string | null;
}

export function recordIdOf(context: ComponentFramework.Context<unknown>): string | null {
  const info = (context.mode as unknown as { contextInfo?: ContextInfo }).contextInfo;
  const id = (info?.entityId ?? "").replace(/[{}]/g, "").toLowerCase();
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : null;
}

/** Read-only when the column is not editable for this user or the form/control is disabled. */
export function readOnlyReason(
  context: ComponentFramework.Context<unknown>,
  property: ComponentFramework.PropertyTypes.Property,
): "disabled" | "security" | null {
  if (property.security && property.security.editable === false) return "security";
  if (context.mode.isControlDisabled) return "disabled";
  return null;
}

export type WebApi = Pick<ComponentFramework.WebApi, "retrieveRecord" | "retrieveMultipleRecords" | "updateRecord">;

/** The message of whatever the Web API rejected with (an Error, or Dataverse's {message, errorCode}). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === "object" && "message" in error) return String((error as { message: unknown }).message);
  return String(error);
}
