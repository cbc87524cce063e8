/**
 * Errors as the Dataverse Web API returns them: HTTP status plus {"error":{"code","message"}}.
 * Codes are the platform's hex error codes so callers can branch on them as on a real org.
 */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const ERROR_CODES = {
  /** Bad property, bad query option, bad value type. */
  badRequest: "0x80060888",
  /** Query syntax the OData parser refuses. */
  querySyntax: "0x80060888",
  resourceNotFound: "0x8006088a",
  recordNotFound: "0x80040217",
  versionMismatch: "0x80060882",
  duplicate: "0x80040237",
  maxLength: "0x80044331",
  outOfRange: "0x80044330",
  invalidOption: "0x8004431a",
  privilege: "0x80040220",
  userDisabled: "0x80040225",
  unauthorized: "0x80072560",
  webhookFailed: "0x80040265",
  methodNotAllowed: "0x80060888",
} as const;

export const badRequest = (message: string): DataverseError => new DataverseError(400, ERROR_CODES.badRequest, message);

export const recordNotFound = (table: string, id: string): DataverseError =>
  new DataverseError(404, ERROR_CODES.recordNotFound, `Entity '${table}' With Id = ${id} Does Not Exist`);

export const propertyNotFound = (property: string, table: string): DataverseError =>
  badRequest(`Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${table}'.`);
