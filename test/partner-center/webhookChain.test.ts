import { generateKeyPairSync, sign } from "node:crypto";
import forge from "node-forge";
import { WebhookSignatureVerifier } from "../../plugins-ts/src/partnerCenter/webhookSignature";

/**
 * Path building of the webhook verifier with a three-level chain (root → intermediate → signing certificate), the
 * shape of Microsoft's: the certificate URL serves only the signing certificate, so the intermediate must be known.
 */

function keys(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey; pem: string } {
  const k = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = k.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return {
    publicKey: forge.pki.publicKeyFromPem(k.publicKey.export({ type: "spki", format: "pem" }).toString()),
    privateKey: forge.pki.privateKeyFromPem(pem),
    pem,
  };
}

function cert(
  subject: string,
  subjectKeys: ReturnType<typeof keys>,
  issuer: { name: string; keys: ReturnType<typeof keys> } | null,
  ca: boolean,
  serial: string,
): forge.pki.Certificate {
  const c = forge.pki.createCertificate();
  c.publicKey = subjectKeys.publicKey;
  c.serialNumber = serial;
  c.validity.notBefore = new Date(Date.now() - 3600_000);
  c.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = (cn: string) => [
    { name: "commonName", value: cn },
    { name: "organizationName", value: "Microsoft Corporation" },
  ];
  c.setSubject(name(subject));
  c.setIssuer(name(issuer?.name ?? subject));
  c.setExtensions([{ name: "basicConstraints", cA: ca }]);
  c.sign((issuer?.keys ?? subjectKeys).privateKey, forge.md.sha256.create());
  return c;
}

it("verifies through a configured intermediate, and refuses without it", async () => {
  const rootKeys = keys();
  const interKeys = keys();
  const leafKeys = keys();
  const root = cert("Test Root", rootKeys, null, true, "01");
  const inter = cert("Test Issuing CA", interKeys, { name: "Test Root", keys: rootKeys }, true, "02");
  const leaf = cert("pcnotifications.test", leafKeys, { name: "Test Issuing CA", keys: interKeys }, false, "03");
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(leaf)).getBytes(), "binary");
  const body = Buffer.from(
    JSON.stringify({
      EventName: "referral-updated",
      ResourceUri: "https://api.partnercenter.microsoft.com/engagements/v1/referrals/abc",
      ResourceName: "referral",
      AuditUri: null,
      ResourceChangeUtcDate: "2026-11-25T10:00:00Z",
    }),
  );
  const headers = {
    authorization: `Signature ${sign("sha256", body, leafKeys.pem).toString("base64")}`,
    "x-ms-certificate-url": "https://certs.example/pcnotifications.cer",
    "x-ms-signature-algorithm": "rsa-sha256",
  };
  const fetches: string[] = [];
  const fetchCert: typeof fetch = async (url) => {
    fetches.push(String(url));
    return new Response(der);
  };
  const base = {
    issuerOrganization: "Microsoft Corporation",
    allowedCertificateUrlPrefixes: ["https://certs.example/"],
    fetch: fetchCert,
  };
  const withIntermediate = new WebhookSignatureVerifier({
    ...base,
    trustedRootCertificatesPem: [forge.pki.certificateToPem(root)],
    intermediateCertificatesPem: [forge.pki.certificateToPem(inter)],
  });
  expect(await withIntermediate.verify(headers, body)).toMatchObject({ ok: true, referralId: "abc" });
  expect(await withIntermediate.verify(headers, body)).toMatchObject({ ok: true });
  expect(fetches).toHaveLength(1); // the certificate is cached
  const rootOnly = new WebhookSignatureVerifier({
    ...base,
    trustedRootCertificatesPem: [forge.pki.certificateToPem(root)],
  });
  expect(await rootOnly.verify(headers, body)).toMatchObject({
    ok: false,
    status: 401,
    reason: "the signing certificate does not chain to a trusted root",
  });
  // A leaf is never accepted as an issuing CA, even if someone lists it as an intermediate.
  const leafAsCa = new WebhookSignatureVerifier({
    ...base,
    trustedRootCertificatesPem: [forge.pki.certificateToPem(root)],
    intermediateCertificatesPem: [forge.pki.certificateToPem(leaf)],
  });
  expect(await leafAsCa.verify(headers, body)).toMatchObject({ ok: false, status: 401 });
});
