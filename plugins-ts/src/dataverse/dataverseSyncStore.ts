import { canonicalDate, type Referral } from "../../../domain";
import type { OpportunityForSync, OpportunitySyncStore, SyncRecord, SyncWrite, WriteResult } from "../sync/syncPorts";
import type { DataverseGateway } from "./dataverseGateway";
import { DataverseRequestError } from "./dataverseRequestError";
import type { NewDeal } from "./dealRecords";
import type { OpportunityCrmFields, OpportunitySyncFields } from "./opportunitySyncFields";
import type { OpportunityRead } from "./snapshotReader";

/**
 * The sync engine's OpportunitySyncStore over the Dataverse gateway: every method is one or two HTTP
 * requests, every write is conditional on the row's ETag.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toSyncRecord(sync: OpportunitySyncFields): SyncRecord {
  return {
    enabled: sync.syncEnabled,
    referralId: sync.referralId,
    referralEtag: sync.referralEtag,
    referralUpdatedOn: sync.referralUpdatedOn,
    fingerprint: sync.fingerprint,
    state: sync.syncState,
    referralStatus: sync.referralStatus,
    referralSubstatus: sync.referralSubstatus,
    microsoftCrmId: sync.microsoftCrmId,
    lastSyncOn: sync.lastSyncOn,
    lastSyncError: sync.lastSyncError,
    attempt: sync.syncAttempt ?? 0,
    nextRetryOn: sync.nextRetryOn,
  };
}

function toOpportunity(read: OpportunityRead): OpportunityForSync {
  return { snapshot: read.snapshot, sync: toSyncRecord(read.sync), rowEtag: read.etag };
}

function syncFields(changes: SyncWrite): Partial<OpportunitySyncFields> {
  const out: Partial<OpportunitySyncFields> = {};
  if (changes.state !== undefined) out.syncState = changes.state;
  if (changes.referralId !== undefined) out.referralId = changes.referralId;
  if (changes.referralLink !== undefined) out.referralLink = changes.referralLink;
  if (changes.referralEtag !== undefined) out.referralEtag = changes.referralEtag;
  if (changes.referralUpdatedOn !== undefined) out.referralUpdatedOn = changes.referralUpdatedOn;
  if (changes.fingerprint !== undefined) out.fingerprint = changes.fingerprint;
  if (changes.lastSyncOn !== undefined) out.lastSyncOn = changes.lastSyncOn;
  if (changes.lastSyncError !== undefined) out.lastSyncError = changes.lastSyncError;
  if (changes.attempt !== undefined) out.syncAttempt = changes.attempt;
  if (changes.nextRetryOn !== undefined) out.nextRetryOn = changes.nextRetryOn;
  if (changes.referralStatus !== undefined) out.referralStatus = changes.referralStatus;
  if (changes.referralSubstatus !== undefined) out.referralSubstatus = changes.referralSubstatus;
  if (changes.microsoftCrmId !== undefined) out.microsoftCrmId = changes.microsoftCrmId;
  return out;
}

export class DataverseSyncStore implements OpportunitySyncStore {
  /** ISO code → transactioncurrencyid; currencies are configuration, so one look-up per code per process. */
  private readonly currencies = new Map<string, string | null>();

  constructor(private readonly gateway: DataverseGateway) {}

  async read(opportunityId: string): Promise<OpportunityForSync | null> {
    if (!GUID.test(opportunityId)) return null;
    const read = await this.gateway.readSnapshot(opportunityId);
    return read ? toOpportunity(read) : null;
  }

  async findForReferral(referral: Referral): Promise<OpportunityForSync | null> {
    const external = referral.externalReferenceId;
    if (external && GUID.test(external)) {
      const byExternal = await this.read(external);
      if (byExternal) return byExternal;
    }
    const id = await this.gateway.findOpportunityByReferralId(referral.id);
    return id ? this.read(id) : null;
  }

  private async currencyId(code: string): Promise<string | null> {
    const key = code.trim().toUpperCase();
    if (!this.currencies.has(key)) this.currencies.set(key, await this.gateway.findCurrencyId(key));
    return this.currencies.get(key) ?? null;
  }

  private async crmFields(changes: SyncWrite): Promise<OpportunityCrmFields> {
    const crm: OpportunityCrmFields = {};
    if (changes.description !== undefined) crm.description = changes.description;
    if (changes.estimatedValue !== undefined) crm.estimatedValue = changes.estimatedValue;
    if (changes.estimatedCloseDate !== undefined) crm.estimatedCloseDate = canonicalDate(changes.estimatedCloseDate);
    if (changes.currencyCode !== undefined) {
      const id = await this.currencyId(changes.currencyCode);
      if (!id) {
        throw new DataverseRequestError(
          400,
          null,
          `The organization has no active currency '${changes.currencyCode}' (transactioncurrency.isocurrencycode).`,
        );
      }
      crm.currencyId = id;
    }
    return crm;
  }

  async write(opportunityId: string, rowEtag: string, changes: SyncWrite): Promise<WriteResult> {
    const outcome = await this.gateway.writeOpportunity(
      opportunityId,
      { sync: syncFields(changes), crm: await this.crmFields(changes) },
      rowEtag,
    );
    return outcome.ok ? { ok: true, rowEtag: outcome.etag } : outcome;
  }

  async createFromReferral(referral: Referral, sync: SyncWrite): Promise<string> {
    const profile = referral.customerProfile ?? {};
    const address = profile.address ?? {};
    const customerName = (profile.name ?? referral.name ?? "").trim() || "Unnamed customer";
    const accountId = await this.gateway.findAccount(customerName, address.postalCode ?? null);
    const member = (profile.team ?? []).find((m) => m.email?.trim());
    const contactId = member?.email ? await this.gateway.findContactByEmail(member.email.trim()) : null;
    const details = referral.details ?? {};
    const deal: NewDeal = {
      account: accountId
        ? { id: accountId }
        : {
            create: {
              name: customerName,
              address: {
                line1: address.addressLine1 ?? null,
                line2: address.addressLine2 ?? null,
                city: address.city ?? null,
                stateOrProvince: address.state ?? null,
                postalCode: address.postalCode ?? null,
                country: address.country ?? null,
              },
            },
          },
      contact: contactId
        ? { id: contactId }
        : member
          ? {
              create: {
                firstName: member.firstName ?? null,
                lastName: member.lastName?.trim() || member.email || "Unknown",
                email: member.email ?? null,
                phone: member.phoneNumber ?? null,
              },
            }
          : null,
      opportunity: {
        name: (referral.name ?? customerName).slice(0, 300),
        ...(details.notes !== undefined ? { description: details.notes } : {}),
        ...(details.dealValue !== undefined ? { estimatedValue: details.dealValue } : {}),
        ...(details.closingDateTime ? { estimatedCloseDate: canonicalDate(details.closingDateTime) } : {}),
        ...(details.currency ? { currencyId: await this.currencyId(details.currency) } : {}),
        ...(await this.crmFields({ ...sync, currencyCode: undefined })),
        sync: {
          syncEnabled: true,
          referralId: referral.id,
          ...(referral.status ? { referralStatus: referral.status } : {}),
          ...(referral.substatus ? { referralSubstatus: referral.substatus } : {}),
          ...(referral.trackingInfo?.microsoftMsxId ? { microsoftCrmId: referral.trackingInfo.microsoftMsxId } : {}),
          ...syncFields(sync),
        },
      },
    };
    const created = await this.gateway.createDeal(deal);
    return created.opportunityId;
  }

  async listDueRetries(now: Date, limit: number): Promise<string[]> {
    return (await this.gateway.listDueRetries(now, limit)).map((r) => r.opportunityId);
  }

  listSyncEnabled(afterId: string | null, limit: number): Promise<string[]> {
    return this.gateway.listSyncEnabledPage(afterId, limit);
  }
}
