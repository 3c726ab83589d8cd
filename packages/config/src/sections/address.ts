import type { Fields } from '../fields.js';

/** `host:port`, `:port` or `[v6]:port`, as Go's net.Listen and net.Dial take them. */
const hostPort = /^(?:\[[0-9A-Za-z:.%]+\]|[^:[\]\s/]*):(\d{1,5})$/;

const hostPortExpectation = 'host:port or :port';

function isHostPort(value: string): boolean {
  const port = hostPort.exec(value)?.[1];
  return port !== undefined && Number(port) <= 65_535;
}

/** A required or defaulted `host:port` value. */
export function readHostPort(fields: Fields, key: string, fallback?: string): string {
  const value = fallback === undefined ? fields.requiredString(key) : fields.string(key, fallback);
  if (!isHostPort(value)) throw fields.invalid(key, hostPortExpectation);
  return value;
}

const urlExpectation = 'an absolute http or https URL, such as https://registry.example.com';

/** An absolute http or https URL (notification endpoints, health checks). */
export function readHttpUrl(fields: Fields, key: string): string {
  return checkHttpUrl(fields, key, fields.requiredString(key));
}

/** The same, or `undefined` when absent (`http.host`). */
export function optionalHttpUrl(fields: Fields, key: string): string | undefined {
  const value = fields.optionalString(key);
  return value === undefined ? undefined : checkHttpUrl(fields, key, value);
}

function checkHttpUrl(fields: Fields, key: string, value: string): string {
  if (!/^https?:\/\/[^/]/i.test(value) || !URL.canParse(value)) {
    throw fields.invalid(key, urlExpectation);
  }
  return value;
}
