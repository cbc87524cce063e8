import type { AuditEntry, AuditSink } from "../sync/syncPorts";
import type { DataverseGateway } from "./dataverseGateway";

/** The engine's audit rows as pcs_referralsyncaudit rows (createdon is the platform's, not the entry's). */
export class DataverseAuditSink implements AuditSink {
  constructor(private readonly gateway: DataverseGateway) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.gateway.createAudit({
      opportunityId: entry.opportunityId,
      direction: entry.direction,
      trigger: entry.trigger,
      operation: entry.operation,
      result: entry.result,
      httpStatus: entry.httpStatus,
      errorCode: entry.errorCode,
      message: entry.message,
      fixHintKey: entry.fixHintKey,
      apiCallsUsed: entry.apiCalls,
      changedPaths: entry.changedPaths,
      attemptNumber: entry.attempt,
      nextRetryOn: entry.nextRetryOn,
      correlationId: entry.correlationId,
    });
  }
}
