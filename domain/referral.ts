/**
 * The Partner Center referral as the Referrals API speaks it (v1.0/engagements/referrals).
 * Shapes follow Microsoft's swagger (Contracts.V3.Referral / UpdateReferralDetails) and the
 * documented enums; property names are camelCase as on the wire (including the API's own
 * misspelling `consentToToShareInfoWithOthers`).
 */

export const REFERRAL_STATUSES = ["None", "New", "Active", "Closed"] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_SUBSTATUSES = [
  "None",
  "Pending",
  "Received",
  "Accepted",
  "Won",
  "Lost",
  "Declined",
  "Expired",
] as const;
export type ReferralSubstatus = (typeof REFERRAL_SUBSTATUSES)[number];

export const REFERRAL_TYPES = ["Independent", "Shared"] as const;
export type ReferralType = (typeof REFERRAL_TYPES)[number];

/** inviteContext.assistanceRequestCode: what the partner asks Microsoft to help with. */
export const ASSISTANCE_REQUEST_CODES = [
  "GeneralOrOther",
  "CustomerTechnicalArchitecture",
  "ProofOfConceptOrDemo",
  "QuotesOrLicensing",
  "PostSalesCustomerSuccess",
  "WorkloadSpecificValueProposition",
] as const;
export type AssistanceRequestCode = (typeof ASSISTANCE_REQUEST_CODES)[number];

/** customerProfile.size buckets (the granular list of the referral resource docs). */
export const CUSTOMER_SIZES = [
  "1to9employees",
  "10to50employees",
  "51to250employees",
  "251to1000employees",
  "1001to5000employees",
  "5001to10000employees",
  "10001to20000employees",
  "Morethan20000employees",
] as const;
export type CustomerSize = (typeof CUSTOMER_SIZES)[number];

export interface ReferralMember {
  firstName?: string;
  lastName?: string;
  email?: string;
  phoneNumber?: string;
  contactPreference?: { locale?: string; disableNotifications?: boolean };
}

export interface ReferralAddress {
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
  region?: string;
}

export interface ReferralSolution {
  id: string;
  name?: string;
  type?: "None" | "Category" | "Name";
  [extra: string]: unknown;
}

export interface ReferralDetails {
  notes?: string;
  dealValue?: number;
  /** ISO 4217 */
  currency?: string;
  /** UTC date-time string */
  closingDateTime?: string;
  customerAction?: string;
  customerRequestedContact?: boolean;
  requirements?: {
    industries?: { id: string }[];
    products?: { id: string }[];
    services?: { id: string }[];
    solutions?: ReferralSolution[];
    offers?: unknown[];
  };
}

export interface ReferralConsent {
  consentToContact?: boolean;
  consentToToShareInfoWithOthers?: boolean;
  consentToShareReferralWithMicrosoftSellers?: boolean;
}

export interface ReferralCustomerProfile {
  name?: string;
  address?: ReferralAddress;
  size?: string;
  team?: ReferralMember[];
  ids?: unknown[];
}

export interface ReferralInviteContext {
  assistanceRequestCode?: AssistanceRequestCode | "Unknown";
  notes?: string;
  invitedBy?: { organizationId?: string; organizationName?: string };
}

/** The body we POST to create a referral: what the API requires plus what we map. */
export interface ReferralCreateBody {
  name: string;
  externalReferenceId: string;
  type: ReferralType;
  status: ReferralStatus;
  substatus: ReferralSubstatus;
  customerProfile: ReferralCustomerProfile & { name: string; address: ReferralAddress & { country: string } };
  consent: ReferralConsent;
  details: ReferralDetails & { dealValue: number; currency: string; closingDateTime: string };
  team: ReferralMember[];
  inviteContext?: ReferralInviteContext;
}

/** A referral as Partner Center returns it. Server-populated fields are optional because the API omits them freely. */
export interface Referral {
  id: string;
  eTag?: string;
  engagementId?: string;
  name?: string;
  externalReferenceId?: string;
  organizationId?: string;
  organizationName?: string;
  createdDateTime?: string;
  updatedDateTime?: string;
  expirationDateTime?: string;
  acceptedDateTime?: string;
  closedDateTime?: string;
  status?: ReferralStatus;
  substatus?: ReferralSubstatus;
  statusReason?: string;
  type?: ReferralType;
  qualification?: string;
  direction?: string;
  customerProfile?: ReferralCustomerProfile;
  consent?: ReferralConsent;
  details?: ReferralDetails;
  team?: ReferralMember[];
  inviteContext?: ReferralInviteContext;
  target?: { type?: string; id?: string }[];
  trackingInfo?: { microsoftMsxId?: string };
  links?: { self?: { uri?: string; method?: string }; relatedReferrals?: { uri?: string; method?: string } };
  [extra: string]: unknown;
}

/** The paths UpdateReferralDetails (PATCH) accepts, exactly as the swagger enumerates them. */
export const PATCHABLE_PATHS = [
  "/campaignId",
  "/consent/consentToShareReferralWithMicrosoftSellers",
  "/customerProfile/team",
  "/customerProfile/team/-",
  "/details/closingDateTime",
  "/details/currency",
  "/details/dealValue",
  "/details/notes",
  "/details/requirements/solutions",
  "/details/requirements/solutions/-",
  "/externalReferenceId",
  "/referralProgram",
  "/salesStage",
  "/status",
  "/substatus",
  "/statusReason",
  "/team",
  "/team/-",
] as const;
export type PatchablePath = (typeof PATCHABLE_PATHS)[number];

/** Partner Center supports only `replace` and `add` (RFC 6902 subset). */
export interface JsonPatchOperation {
  op: "replace" | "add";
  path: PatchablePath;
  value: unknown;
}

export function isPatchablePath(path: string): path is PatchablePath {
  return (PATCHABLE_PATHS as readonly string[]).includes(path);
}
