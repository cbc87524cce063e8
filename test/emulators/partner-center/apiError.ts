/**
 * Partner Center's documented error body: {"error":{"code","message","target"}} (partner-rest error-codes.md).
 * Codes are the documented ones: accessDenied, generalException, invalidRequest, itemNotFound,
 * preconditionFailed, resourceModified, serviceNotAvailable, unauthenticated.
 */

export type ApiErrorCode =
  | "accessDenied"
  | "generalException"
  | "invalidRequest"
  | "itemNotFound"
  | "preconditionFailed"
  | "resourceModified"
  | "serviceNotAvailable"
  | "unauthenticated";

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; target: string };
}

/** Thrown by handlers; the server's error handler turns it into the documented body. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly target: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): ApiErrorBody {
    // The docs cap message at 1024 characters.
    return { error: { code: this.code, message: this.message.slice(0, 1024), target: this.target } };
  }
}

export const badRequest = (message: string, target: string) => new ApiError(400, "invalidRequest", message, target);
export const notFound = (message: string, target: string) => new ApiError(404, "itemNotFound", message, target);
