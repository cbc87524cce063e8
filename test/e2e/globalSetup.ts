import { buildMissing } from "../sandbox/builtArtifacts";

/** The pages host the built controls and web resource: on a fresh clone, build them once before the tests. */
export default function globalSetup(): void {
  buildMissing((line) => console.log(line));
}
