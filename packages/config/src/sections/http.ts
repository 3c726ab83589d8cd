import type { Fields } from '../fields.js';
import type { DebugConfig, HttpConfig } from '../registry-config.js';
import { withoutUndefined } from '../tree.js';
import { optionalHttpUrl, readHostPort } from './address.js';
import { readTls } from './tls.js';

const networks = ['tcp', 'unix'] as const;

/** `http`: where and how the registry listens. */
export function readHttp(root: Fields): HttpConfig {
  const http = root.child('http');
  const net = http.choice('net', networks, 'tcp');
  return withoutUndefined({
    addr: net === 'unix' ? http.requiredString('addr') : readHostPort(http, 'addr', ':5000'),
    net,
    prefix: readPrefix(http),
    host: optionalHttpUrl(http, 'host'),
    secret: http.optionalString('secret'),
    relativeurls: http.boolean('relativeurls', false),
    draintimeout: http.duration('draintimeout', 0),
    headers: http.headers('headers'),
    http2: { disabled: http.child('http2').boolean('disabled', false) },
    h2c: { enabled: http.child('h2c').boolean('enabled', false) },
    tls: readTls(http),
    debug: readDebug(http.child('debug')),
  });
}

/** The path before `/v2/`; distribution needs the slashes on both ends. */
function readPrefix(http: Fields): string {
  const prefix = http.string('prefix', '/');
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
    throw http.invalid('prefix', 'a path that starts and ends with "/", such as /registry/');
  }
  return prefix;
}

/** The debug server (metrics, health, pprof) runs only when it has an address. */
function readDebug(debug: Fields): DebugConfig | undefined {
  const prometheus = debug.child('prometheus');
  const path = prometheus.string('path', '/metrics');
  if (!path.startsWith('/')) throw prometheus.invalid('path', 'a path that starts with "/"');
  const enabled = prometheus.boolean('enabled', false);
  if (debug.optionalString('addr') === undefined) {
    if (debug.keys().some((key) => debug.has(key))) {
      debug.warn(`${debug.path} is ignored: ${debug.at('addr')} is not set`);
    }
    return undefined;
  }
  return { addr: readHostPort(debug, 'addr'), prometheus: { enabled, path } };
}
