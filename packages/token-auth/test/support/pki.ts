import { execFileSync } from 'node:child_process';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Keys and certificates made by Debian's `openssl`, not by the code under
 * test, so chains and key IDs are checked against an independent producer.
 * Certificates are valid for 30 days from now; tests reach past that with the
 * verifier's `now`.
 */

export interface Identity {
  readonly key: KeyObject;
  readonly keyPem: string;
  readonly certPem: string;
  /** The key file, for computing expectations with openssl. */
  readonly keyPath: string;
}

export interface Pki {
  readonly dir: string;
  /** Self-signed RSA 2048: a GitLab-style `registry.crt`. */
  readonly rsa: Identity;
  /** Self-signed EC P-256. */
  readonly ec: Identity;
  /** EC P-384 and P-521 keys, self-signed. */
  readonly ec384: Identity;
  readonly ec521: Identity;
  /** A CA, an intermediate CA it signed, and an EC leaf the intermediate signed. */
  readonly root: Identity;
  readonly intermediate: Identity;
  readonly leaf: Identity;
  /** A certificate the leaf signed: the leaf's key usage forbids it (no keyCertSign). */
  readonly underLeaf: Identity;
  /**
   * A non-CA certificate with no key-usage limit, and one it signed: OpenSSL's
   * issuer check passes, only the CA flag makes the link invalid.
   */
  readonly notCa: Identity;
  readonly underNotCa: Identity;
  /** A CA valid for 1 day, and a leaf it signed that is valid for 30. */
  readonly shortRoot: Identity;
  readonly shortRootLeaf: Identity;
  /** Another CA, in no bundle, with its own leaf. */
  readonly strangerRoot: Identity;
  readonly strangerLeaf: Identity;
  /** Runs openssl with these arguments in `dir`, returning stdout. */
  openssl(args: readonly string[], input?: string | Buffer): Buffer;
  /** Runs a shell pipeline in `dir`. */
  shell(command: string): string;
  cleanup(): void;
}

const extensions = `
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[noca]
basicConstraints = critical,CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

let cached: Pki | undefined;

/** The fixture PKI, made once per test run. */
export function pki(): Pki {
  cached ??= makePki();
  return cached;
}

function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'lading-token-auth-'));
  writeFileSync(join(dir, 'ext.cnf'), extensions);
  const openssl = (args: readonly string[], input?: string | Buffer): Buffer =>
    execFileSync('openssl', args, {
      cwd: dir,
      ...(input === undefined ? {} : { input }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  let serial = 1;

  const genkey = (name: string, algorithm: string): void => {
    const options =
      algorithm === 'RSA'
        ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
        : ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${algorithm}`];
    openssl(['genpkey', ...options, '-out', `${name}.key`]);
  };
  const identity = (name: string): Identity => {
    const keyPem = readFileSync(join(dir, `${name}.key`), 'utf8');
    return {
      key: createPrivateKey(keyPem),
      keyPem,
      certPem: readFileSync(join(dir, `${name}.crt`), 'utf8'),
      keyPath: join(dir, `${name}.key`),
    };
  };
  const selfSigned = (name: string, algorithm: string, ca: boolean, days = 30): Identity => {
    genkey(name, algorithm);
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      `/CN=${name}`,
      '-days',
      String(days),
      '-addext',
      `basicConstraints=critical,CA:${ca ? 'TRUE' : 'FALSE'}`,
      '-out',
      `${name}.crt`,
    ]);
    return identity(name);
  };
  const issued = (
    name: string,
    algorithm: string,
    issuer: string,
    kind: 'ca' | 'leaf' | 'noca',
  ): Identity => {
    genkey(name, algorithm);
    openssl(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
    openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${issuer}.crt`,
      '-CAkey',
      `${issuer}.key`,
      '-set_serial',
      String(serial++),
      '-days',
      '30',
      '-extfile',
      'ext.cnf',
      '-extensions',
      kind,
      '-out',
      `${name}.crt`,
    ]);
    return identity(name);
  };

  const result: Pki = {
    dir,
    rsa: selfSigned('rsa', 'RSA', true),
    ec: selfSigned('ec', 'P-256', true),
    ec384: selfSigned('ec384', 'P-384', true),
    ec521: selfSigned('ec521', 'P-521', true),
    root: selfSigned('root', 'P-256', true),
    intermediate: issued('intermediate', 'P-256', 'root', 'ca'),
    leaf: issued('leaf', 'P-256', 'intermediate', 'leaf'),
    underLeaf: issued('under-leaf', 'P-256', 'leaf', 'leaf'),
    notCa: issued('not-ca', 'P-256', 'intermediate', 'noca'),
    underNotCa: issued('under-not-ca', 'P-256', 'not-ca', 'leaf'),
    shortRoot: selfSigned('short-root', 'P-256', true, 1),
    shortRootLeaf: issued('short-root-leaf', 'P-256', 'short-root', 'leaf'),
    strangerRoot: selfSigned('stranger-root', 'P-256', true),
    strangerLeaf: issued('stranger-leaf', 'P-256', 'stranger-root', 'leaf'),
    openssl,
    shell: (command) => execFileSync('sh', ['-c', command], { cwd: dir, encoding: 'utf8' }),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return result;
}

after(() => {
  cached?.cleanup();
});
