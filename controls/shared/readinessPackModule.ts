import { defaultReferenceData } from "../../domain/defaultReferenceData";
import { evaluateReadiness } from "../../domain/readinessRules";
import { READINESS_PACK_CONTRACT, type ReadinessPack } from "./readinessPack";

/** The pack's implementation: the domain rules with the bundled ISO tables. Tests use it in-process. */
export function createReadinessPack(): ReadinessPack {
  return {
    contract: READINESS_PACK_CONTRACT,
    evaluate: (snapshot, { now, hasReferral }) =>
      evaluateReadiness(snapshot, { now, hasReferral, reference: defaultReferenceData() }),
  };
}
