import type { DynamicsWebApi } from "dynamics-web-api";

/**
 * Runs a batch queued on `client` and returns its parts, or throws the first failed part. dynamics-web-api
 * rejects with the parts when the batch answers 4xx, but resolves with error objects among them when it
 * answers 200 (continue-on-error, or a service that reports failures that way), so both are checked.
 */
export async function executeBatchOrThrow(
  client: DynamicsWebApi,
  options: { continueOnError?: boolean } = {},
): Promise<unknown[]> {
  let results: unknown[];
  try {
    results = await client.executeBatch(options.continueOnError ? { continueOnError: true } : undefined);
  } catch (error) {
    throw Array.isArray(error) ? (error[0] ?? new Error("The batch failed without a reported part.")) : error;
  }
  const failed = results.find(
    (part) =>
      part instanceof Error ||
      (typeof (part as { status?: unknown })?.status === "number" && (part as { status: number }).status >= 400),
  );
  if (failed) throw failed;
  return results;
}
