import { X509Certificate, type KeyObject } from 'node:crypto';
import { TokenInvalidError } from './errors.js';

/** Longer `x5c` chains are refused before any signature is checked. */
const maxChainLength = 10;

/** The certificates of a PEM bundle, in order; throws when it holds none. */
export function parseCertificateBundle(
  pem: string,
  what: string,
): [X509Certificate, ...X509Certificate[]] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  const [first, ...rest] = (blocks ?? []).map((block) => new X509Certificate(block));
  if (first === undefined) throw new TypeError(`${what} holds no PEM certificate`);
  return [first, ...rest];
}

/**
 * The public key of the leaf of an `x5c` chain (leaf first, base64 DER) that
 * leads to one of `roots`, as distribution's `header.Certificates(roots)`
 * does with Go's `x509.Verify` (any extended key usage). Each certificate must
 * be issued and signed by the next; intermediates must be CAs; every
 * certificate on the path, the root included, must be valid at `now`. The
 * chain may stop at a root or below one; a root may also sign tokens itself
 * (GitLab's `registry.crt`).
 */
export function verifyCertificateChain(
  x5c: unknown,
  roots: readonly X509Certificate[],
  now: Date,
): KeyObject {
  const chain = decodeChain(x5c);
  for (const [index, current] of chain.entries()) {
    checkValidity(current, now);
    const root = roots.find((candidate) => issues(candidate, current));
    if (root !== undefined) {
      checkValidity(root, now);
      return chain[0].publicKey;
    }
    const next = chain[index + 1];
    if (next !== undefined && !(next.ca && issues(next, current))) {
      throw new TokenInvalidError(
        'untrusted_chain',
        `x5c certificate ${String(index + 1)} (${oneLine(next.subject)}) is not a CA that issued the one before it`,
      );
    }
  }
  throw new TokenInvalidError(
    'untrusted_chain',
    'x5c chain does not lead to a certificate in the root bundle',
  );
}

function decodeChain(x5c: unknown): [X509Certificate, ...X509Certificate[]] {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > maxChainLength) {
    throw new TokenInvalidError(
      'malformed',
      `x5c must list 1 to ${String(maxChainLength)} certificates`,
    );
  }
  const chain = (x5c as unknown[]).map((item, index) => {
    if (typeof item !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(item)) {
      throw new TokenInvalidError('malformed', `x5c[${String(index)}] is not base64 DER`);
    }
    try {
      return new X509Certificate(Buffer.from(item, 'base64'));
    } catch (error) {
      throw new TokenInvalidError('malformed', `x5c[${String(index)}] is not a certificate`, {
        cause: error,
      });
    }
  });
  // Non-empty: the length was checked above.
  return chain as [X509Certificate, ...X509Certificate[]];
}

/** `issuer` is `subject` itself (same certificate) or named it and signed it. */
function issues(issuer: X509Certificate, subject: X509Certificate): boolean {
  if (issuer.fingerprint256 === subject.fingerprint256) return true;
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

function checkValidity(certificate: X509Certificate, now: Date): void {
  const from = new Date(certificate.validFrom);
  const to = new Date(certificate.validTo);
  if (now < from || now > to) {
    throw new TokenInvalidError(
      'untrusted_chain',
      `certificate ${oneLine(certificate.subject)} is valid from ${from.toISOString()} to ${to.toISOString()}, not at ${now.toISOString()}`,
    );
  }
}

function oneLine(distinguishedName: string): string {
  return distinguishedName.replace(/\n/g, ', ');
}
