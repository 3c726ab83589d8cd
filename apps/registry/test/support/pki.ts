import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const RSA_KEY = ['-newkey', 'rsa:2048'];

export interface CertificateOptions {
  /** P-256 unless said otherwise. */
  readonly keyType?: 'ec' | 'rsa';
  /** openssl extension lines, e.g. `subjectAltName=IP:127.0.0.1`. */
  readonly extensions?: readonly string[];
}

/**
 * Keys and certificates made with Debian's openssl in a scratch directory, each written as
 * `<name>.key` and `<name>.pem`. Tests read what they need, then dispose of the directory.
 */
export class TestPki {
  readonly #directory = mkdtempSync(join(tmpdir(), 'lading-pki-'));

  /** A self-signed certificate, valid for a day. */
  selfSigned(name: string, subject: string, options: CertificateOptions = {}): this {
    this.#openssl(
      'req',
      '-x509',
      ...keyArguments(options),
      '-days',
      '1',
      '-subj',
      subject,
      ...(options.extensions ?? []).flatMap((extension) => ['-addext', extension]),
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
    );
    return this;
  }

  /** A certificate signed by the certificate and key already made under `issuer`. */
  signed(name: string, subject: string, issuer: string, options: CertificateOptions = {}): this {
    this.#openssl(
      'req',
      ...keyArguments(options),
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    writeFileSync(join(this.#directory, `${name}.ext`), (options.extensions ?? []).join('\n'));
    this.#openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${issuer}.pem`,
      '-CAkey',
      `${issuer}.key`,
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    );
    return this;
  }

  read(file: string): Buffer {
    return readFileSync(join(this.#directory, file));
  }

  text(file: string): string {
    return this.read(file).toString('utf8');
  }

  dispose(): void {
    rmSync(this.#directory, { recursive: true, force: true });
  }

  #openssl(...args: string[]): void {
    execFileSync('openssl', args, { cwd: this.#directory, stdio: 'ignore' });
  }
}

/** Builds a PKI, reads from it, and always removes its directory. */
export function withPki<T>(build: (pki: TestPki) => T): T {
  const pki = new TestPki();
  try {
    return build(pki);
  } finally {
    pki.dispose();
  }
}

function keyArguments(options: CertificateOptions): string[] {
  return [...(options.keyType === 'rsa' ? RSA_KEY : EC_KEY), '-nodes'];
}
