/**
 * Finds secrets in text meant for the browser: known secret values (the sandbox's and tests' webhook secrets,
 * the emulators' bearer tokens), PEM blocks (private keys, certificates), the names of the proxy's secret
 * settings (a bundle that mentions PCS_DATAVERSE_CLIENT_SECRET was built with server configuration in it) and
 * JWT-shaped strings (a token baked into a bundle). Pure: the test reads the files.
 */

export interface SecretFinding {
  file: string;
  kind: "known-secret" | "pem-block" | "secret-setting-name" | "jwt";
  /** The matched text, shortened so the report itself does not spread the secret. */
  excerpt: string;
  offset: number;
}

export interface SecretRules {
  /** Literal values that must never appear (at least 8 characters each, or they would match by chance). */
  knownSecrets: readonly string[];
}

const PATTERNS: { kind: SecretFinding["kind"]; pattern: RegExp }[] = [
  { kind: "pem-block", pattern: /-----BEGIN [A-Z0-9 ]+-----/g },
  { kind: "secret-setting-name", pattern: /PCS_[A-Z0-9_]*(?:SECRET|TOKEN_CACHE|ROOTS_PEM|PRIVATE_KEY)[A-Z0-9_]*/g },
  { kind: "jwt", pattern: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g },
];

const shorten = (text: string) => (text.length > 12 ? `${text.slice(0, 6)}…${text.slice(-3)}` : text);

export function scanForSecrets(file: string, text: string, rules: SecretRules): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const secret of rules.knownSecrets) {
    if (secret.length < 8) throw new Error(`A known secret must have at least 8 characters: "${secret}".`);
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
      findings.push({ file, kind: "known-secret", excerpt: shorten(secret), offset: at });
    }
  }
  for (const { kind, pattern } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      findings.push({ file, kind, excerpt: shorten(match[0]), offset: match.index ?? 0 });
    }
  }
  return findings;
}

/** Secret string constants in source text: `const X_SECRET = "value"` and `SECRET: "value"` shapes. */
export function secretConstantsIn(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/[A-Za-z_]*(?:SECRET|Secret|secret)[A-Za-z_]*"?\s*[:=]\s*"([^"\n]{8,})"/g)) {
    found.add(m[1]!);
  }
  return [...found];
}
