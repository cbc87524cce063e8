import { READINESS_PACK_GLOBAL } from "./readinessPack";
import { createReadinessPack } from "./readinessPackModule";

/** Entry of the web resource pcs_/scripts/readinessPack.js (controls/build.ts bundles it with esbuild). */
(globalThis as Record<string, unknown>)[READINESS_PACK_GLOBAL] = createReadinessPack();
