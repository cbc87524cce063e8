import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

/**
 * The certificate chain webhook deliveries are signed with. Partner Center signs with a certificate that
 * "chains to the Microsoft Root" and checks the issuer's Organization; the emulator makes its own root and a
 * leaf issued by it, with the same Organization, so a verifier configured to trust the emulator's root
 * exercises exactly the checks it will run against Microsoft's chain.
 */

export interface SigningMaterial {
  rootCertificatePem: string;
  leafCertificatePem: string;
  leafPrivateKeyPem: string;
}

const ORGANIZATION = "Microsoft Corporation";

function serial(): string {
  // Positive, non-zero serial number (high bit cleared).
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString("hex");
}

function newKeyPair(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privatePem: string } {
  // Node's native RSA keygen: forge's pure-JS keygen takes seconds.
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
    privateKey: forge.pki.privateKeyFromPem(privatePem),
    privatePem,
  };
}

export function generateSigningMaterial(now: Date = new Date()): SigningMaterial {
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const rootKeys = newKeyPair();
  const root = forge.pki.createCertificate();
  root.publicKey = rootKeys.publicKey;
  root.serialNumber = serial();
  root.validity.notBefore = notBefore;
  root.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const rootName = [
    { name: "commonName", value: "Partner Center Emulator Root CA" },
    { name: "organizationName", value: ORGANIZATION },
    { shortName: "OU", value: "Partner Center Emulator (not Microsoft)" },
  ];
  root.setSubject(rootName);
  root.setIssuer(rootName);
  root.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  root.sign(rootKeys.privateKey, forge.md.sha256.create());

  const leafKeys = newKeyPair();
  const leaf = forge.pki.createCertificate();
  leaf.publicKey = leafKeys.publicKey;
  leaf.serialNumber = serial();
  leaf.validity.notBefore = notBefore;
  leaf.validity.notAfter = new Date(now.getTime() + 2 * 365 * 24 * 3600 * 1000);
  leaf.setSubject([
    { name: "commonName", value: "pcnotifications.emulator.local" },
    { name: "organizationName", value: ORGANIZATION },
    { shortName: "OU", value: "Partner Center Emulator (not Microsoft)" },
  ]);
  leaf.setIssuer(rootName);
  leaf.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, critical: true },
    { name: "authorityKeyIdentifier", keyIdentifier: root.generateSubjectKeyIdentifier().getBytes() },
  ]);
  leaf.sign(rootKeys.privateKey, forge.md.sha256.create());

  return {
    rootCertificatePem: forge.pki.certificateToPem(root),
    leafCertificatePem: forge.pki.certificateToPem(leaf),
    leafPrivateKeyPem: leafKeys.privatePem,
  };
}

/** DER bytes of a PEM certificate: what a `.cer` URL serves. */
export function pemToDer(pem: string): Buffer {
  return Buffer.from(
    forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(pem))).getBytes(),
    "binary",
  );
}
