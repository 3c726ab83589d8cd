import type { Fields } from '../fields.js';
import type {
  FileHealthCheck,
  HealthConfig,
  HttpHealthCheck,
  TcpHealthCheck,
} from '../registry-config.js';
import { readHostPort, readHttpUrl } from './address.js';

/** distribution checks every 10 s unless told otherwise. */
const defaultInterval = 10_000;

/**
 * `health`: periodic checks whose failure makes the registry answer 503. As in
 * distribution, an interval of 0 is the default, a timeout of 0 is none, and a
 * threshold of 0 (or none) means a single failure counts.
 */
export function readHealth(root: Fields): HealthConfig {
  const health = root.child('health');
  const storagedriver = health.child('storagedriver');
  return {
    storagedriver: {
      enabled: storagedriver.boolean('enabled', false),
      interval: storagedriver.durationOrDefault('interval', defaultInterval),
      threshold: storagedriver.integerOrDefault('threshold', 3),
    },
    file: health.elements('file').map(readFileCheck),
    http: health.elements('http').map(readHttpCheck),
    tcp: health.elements('tcp').map(readTcpCheck),
  };
}

function readFileCheck(check: Fields): FileHealthCheck {
  return {
    file: check.requiredString('file'),
    interval: check.durationOrDefault('interval', defaultInterval),
  };
}

function readHttpCheck(check: Fields): HttpHealthCheck {
  const statuscode = check.integerOrDefault('statuscode', 200);
  if (statuscode < 100 || statuscode > 599) {
    throw check.invalid('statuscode', 'an HTTP status code from 100 to 599');
  }
  return {
    uri: readHttpUrl(check, 'uri'),
    headers: check.headers('headers'),
    statuscode,
    timeout: check.duration('timeout', 0),
    interval: check.durationOrDefault('interval', defaultInterval),
    threshold: check.integerOrDefault('threshold', 1),
  };
}

function readTcpCheck(check: Fields): TcpHealthCheck {
  return {
    addr: readHostPort(check, 'addr'),
    timeout: check.duration('timeout', 0),
    interval: check.durationOrDefault('interval', defaultInterval),
    threshold: check.integerOrDefault('threshold', 1),
  };
}
