import { ConfigError } from '../errors.js';
import type { Fields } from '../fields.js';
import type { ClientAuth, LetsEncryptConfig, MinimumTls, TlsConfig } from '../registry-config.js';
import { itemPath, withoutUndefined } from '../tree.js';

const clientAuths: readonly ClientAuth[] = [
  'request-client-cert',
  'require-any-client-cert',
  'verify-client-cert-if-given',
  'require-and-verify-client-cert',
];
const minimumTlsVersions: readonly MinimumTls[] = ['tls1.0', 'tls1.1', 'tls1.2', 'tls1.3'];

/** The cipher suites distribution accepts by their Go names (crypto/tls). */
const cipherSuites = new Set([
  'TLS_RSA_WITH_RC4_128_SHA',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
]);

/**
 * `http.tls`, present when a certificate and key, or Let's Encrypt (`cachefile`),
 * are configured; as in distribution, a certificate wins over Let's Encrypt.
 */
export function readTls(http: Fields): TlsConfig | undefined {
  const tls = http.child('tls');
  const certificate = tls.optionalString('certificate');
  const key = tls.optionalString('key');
  if (certificate !== undefined && key === undefined) {
    throw tls.invalid('key', `the private key file of ${tls.at('certificate')}`);
  }
  if (key !== undefined && certificate === undefined) {
    throw tls.invalid('certificate', `the certificate file for ${tls.at('key')}`);
  }
  const settings = {
    clientcas: tls.strings('clientcas'),
    clientauth: tls.choice('clientauth', clientAuths, 'require-and-verify-client-cert'),
    minimumtls: tls.choice('minimumtls', minimumTlsVersions, 'tls1.2'),
    ciphersuites: readCipherSuites(tls),
  };
  const letsencrypt = readLetsEncrypt(tls.child('letsencrypt'));
  if (certificate !== undefined && key !== undefined) {
    if (letsencrypt !== undefined) {
      tls.warn(
        `${tls.at('letsencrypt')} is ignored because ${tls.at('certificate')} is set, as in distribution`,
      );
    }
    return { certificate, key, ...settings };
  }
  if (letsencrypt !== undefined) return { ...settings, letsencrypt };
  if (tls.keys().some((name) => tls.has(name))) {
    tls.warn(
      `${tls.path} is ignored: neither certificate and key nor letsencrypt.cachefile is set`,
    );
  }
  return undefined;
}

function readCipherSuites(tls: Fields): string[] {
  const suites = tls.strings('ciphersuites');
  for (const [index, suite] of suites.entries()) {
    if (!cipherSuites.has(suite)) {
      throw new ConfigError({
        key: itemPath(tls.at('ciphersuites'), index),
        value: suite,
        expected:
          'a cipher suite name distribution knows, such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      });
    }
  }
  return suites;
}

function readLetsEncrypt(letsencrypt: Fields): LetsEncryptConfig | undefined {
  const cachefile = letsencrypt.optionalString('cachefile');
  if (cachefile === undefined) return undefined;
  return withoutUndefined({
    cachefile,
    email: letsencrypt.requiredString('email'),
    hosts: letsencrypt.strings('hosts'),
    directoryurl: letsencrypt.optionalString('directoryurl'),
  });
}
