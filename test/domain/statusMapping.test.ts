import {
  checkTransition,
  crmEffectOfReferralStatus,
  referralStatusForOpportunity,
  type OpportunityState,
  type ReferralStatus,
  type ReferralSubstatus,
} from "../../domain";

type Pair = [ReferralStatus, ReferralSubstatus];

describe("checkTransition (New→New/Active/Closed, Active→Active/Closed, Closed is terminal)", () => {
  const cases: [Pair, Pair, true | string][] = [
    [["New", "Pending"], ["New", "Received"], true],
    [["New", "Pending"], ["Active", "Accepted"], true],
    [["New", "Received"], ["Closed", "Declined"], true],
    [["Active", "Accepted"], ["Closed", "Won"], true],
    [["Active", "Accepted"], ["Closed", "Lost"], true],
    [["None", "None"], ["New", "Pending"], true],
    [["Active", "Accepted"], ["New", "Pending"], "transition.notAllowed"],
    [["Closed", "Won"], ["Closed", "Won"], true],
    [["Closed", "Won"], ["Closed", "Lost"], "transition.terminal"],
    [["Closed", "Expired"], ["Active", "Accepted"], "transition.terminal"],
    [["Closed", "Declined"], ["New", "Pending"], "transition.terminal"],
    [["New", "Pending"], ["Active", "Won"], "transition.badSubstatus"],
    [["New", "Pending"], ["Closed", "Accepted"], "transition.badSubstatus"],
    [["Active", "Accepted"], ["New", "Accepted"], "transition.badSubstatus"],
  ];
  it.each(cases)("%p → %p", ([fs, fss], [ts, tss], expected) => {
    const check = checkTransition({ status: fs, substatus: fss }, { status: ts, substatus: tss });
    expect(check.ok ? true : check.messageKey).toBe(expected);
  });

  it("says which states were involved", () => {
    const check = checkTransition({ status: "Closed", substatus: "Won" }, { status: "Closed", substatus: "Lost" });
    expect(check).toEqual({
      ok: false,
      messageKey: "transition.terminal",
      params: { from: "Closed/Won", to: "Closed/Lost" },
    });
  });
});

describe("status mapping", () => {
  it.each([
    ["open", "New", "Pending"],
    ["won", "Closed", "Won"],
    ["lost", "Closed", "Lost"],
  ] as [OpportunityState, ReferralStatus, ReferralSubstatus][])(
    "opportunity %s → %s/%s",
    (state, status, substatus) => {
      expect(referralStatusForOpportunity(state)).toEqual({ status, substatus });
    },
  );

  const effects: [Pair, OpportunityState, [ReferralStatus | null, ReferralSubstatus | null, string | null]][] = [
    [["Active", "Accepted"], "open", ["Active", "Accepted", null]],
    [["New", "Received"], "open", ["New", "Received", null]],
    [["None", "None"], "open", [null, null, null]],
    [["Closed", "Declined"], "open", ["Closed", "Declined", "status.declinedByMicrosoft"]],
    [["Closed", "Expired"], "open", ["Closed", "Expired", "status.expired"]],
    [["Closed", "Won"], "open", ["Closed", "Won", "status.closedInPartnerCenter"]],
    [["Closed", "Won"], "won", ["Closed", "Won", null]],
  ];
  it.each(effects)("Partner Center %p on a %s opportunity", ([status, substatus], state, [rs, rss, notice]) => {
    const effect = crmEffectOfReferralStatus({ status, substatus }, state);
    expect([effect.referralStatus, effect.referralSubstatus, effect.notice?.messageKey ?? null]).toEqual([
      rs,
      rss,
      notice,
    ]);
  });
});
