import Fastify from "fastify";
import forge from "node-forge";
import { generateKeyPairSync, sign } from "node:crypto";

/**
 * A certificate authority the tests own, to sign Partner Center webhook deliveries the way Microsoft does and the
 * ways an attacker might: a leaf chained to the trusted root (the control), a self-signed certificate, a leaf of
 * another root, a leaf whose issuer names another organization, an expired leaf. Certificates are served over
 * HTTP like Partner Center's certificate URL, so the proxy fetches and judges them itself.
 */

export type CertificateName = "trusted" | "selfSigned" | "strangerRoot" | "otherOrganization" | "expired";

export interface SigningLab {
  trustedRootPem: string;
  /** Prefix of the certificate URLs (allow-listed in the proxy). */
  certificateUrlPrefix: string;
  certificateUrl(name: CertificateName): string;
  /** Partner Center's headers for `body`, signed with the key of the named certificate. */
  headersFor(name: CertificateName, body: string): Record<string, string>;
  close(): Promise<void>;
}

interface KeyPair {
  publicKey: forge.pki.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
  pem: string;
}

function keys(): KeyPair {
  // Node's RSA key generation: forge's pure-JS one takes seconds.
  const k = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = k.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return {
    publicKey: forge.pki.publicKeyFromPem(k.publicKey.export({ type: "spki", format: "pem" }).toString()),
    privateKey: forge.pki.privateKeyFromPem(pem),
    pem,
  };
}

let serial = 1;
function certificate(
  subject: { cn: string; o: string },
  subjectKeys: KeyPair,
  issuer: { name: { cn: string; o: string }; keys: KeyPair } | null,
  ca: boolean,
  validity: { from: number; to: number } = { from: Date.now() - 3600_000, to: Date.now() + 86_400_000 },
): forge.pki.Certificate {
  const c = forge.pki.createCertificate();
  c.publicKey = subjectKeys.publicKey;
  c.serialNumber = (serial++).toString(16).padStart(2, "0");
  c.validity.notBefore = new Date(validity.from);
  c.validity.notAfter = new Date(validity.to);
  const name = (n: { cn: string; o: string }) => [
    { name: "commonName", value: n.cn },
    { name: "organizationName", value: n.o },
  ];
  c.setSubject(name(subject));
  c.setIssuer(name(issuer?.name ?? subject));
  c.setExtensions([{ name: "basicConstraints", cA: ca }]);
  c.sign((issuer?.keys ?? subjectKeys).privateKey, forge.md.sha256.create());
  return c;
}

export async function startSigningLab(): Promise<SigningLab> {
  const microsoft = "Microsoft Corporation";
  const rootName = { cn: "Security Lab Root", o: microsoft };
  const rootKeys = keys();
  const root = certificate(rootName, rootKeys, null, true);
  const leafKeys = keys();
  const strangerName = { cn: "Stranger Root", o: microsoft };
  const strangerKeys = keys();
  const contosoName = { cn: "Contoso Issuing CA", o: "Contoso" };
  const contosoKeys = keys();
  const contosoCa = certificate(contosoName, contosoKeys, { name: rootName, keys: rootKeys }, true);
  const leafName = { cn: "pcnotifications.lab", o: microsoft };

  const chains: Record<CertificateName, { pem: string; key: KeyPair }> = {
    trusted: { pem: pemOf(certificate(leafName, leafKeys, { name: rootName, keys: rootKeys }, false)), key: leafKeys },
    selfSigned: { pem: pemOf(certificate(leafName, leafKeys, null, false)), key: leafKeys },
    strangerRoot: {
      pem: pemOf(certificate(leafName, leafKeys, { name: strangerName, keys: strangerKeys }, false)),
      key: leafKeys,
    },
    // The leaf first, then the CA that issued it: the verifier builds the path from the bundle.
    otherOrganization: {
      pem: pemOf(certificate(leafName, leafKeys, { name: contosoName, keys: contosoKeys }, false)) + pemOf(contosoCa),
      key: leafKeys,
    },
    expired: {
      pem: pemOf(
        certificate(leafName, leafKeys, { name: rootName, keys: rootKeys }, false, {
          from: Date.now() - 10 * 86_400_000,
          to: Date.now() - 86_400_000,
        }),
      ),
      key: leafKeys,
    },
  };

  const app = Fastify({ logger: false });
  app.get<{ Params: { name: string } }>("/certs/:name", async (req, reply) => {
    const chain = chains[req.params.name.replace(/\.cer$/, "") as CertificateName];
    if (!chain) return reply.code(404).send();
    return reply.type("application/x-pem-file").send(chain.pem);
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const certificateUrlPrefix = `${address}/certs/`;
  const certificateUrl = (name: CertificateName) => `${certificateUrlPrefix}${name}.cer`;
  return {
    trustedRootPem: pemOf(root),
    certificateUrlPrefix,
    certificateUrl,
    headersFor: (name, body) => ({
      "Content-Type": "application/json",
      Authorization: `Signature ${sign("sha256", Buffer.from(body, "utf8"), chains[name].key.pem).toString("base64")}`,
      "X-MS-Certificate-Url": certificateUrl(name),
      "X-MS-Signature-Algorithm": "rsa-sha256",
    }),
    close: () => app.close(),
  };
}

function pemOf(c: forge.pki.Certificate): string {
  return forge.pki.certificateToPem(c);
}
