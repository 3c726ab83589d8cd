import type { Fields } from '../fields.js';
import type { LogConfig, LogFormatter, LogLevel } from '../registry-config.js';

const levels: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
const formatters: readonly LogFormatter[] = ['text', 'json', 'logstash'];

/** `log`, with the deprecated top-level `loglevel` as a fallback for `log.level`. */
export function readLog(root: Fields): LogConfig {
  const log = root.child('log');
  // distribution lower-cases levels: `level: DEBUG` works there.
  const fallback = root.choice('loglevel', levels, 'info', true);
  return {
    level: log.choice('level', levels, fallback, true),
    formatter: log.choice('formatter', formatters, 'text'),
    fields: log.mapping('fields'),
    accesslog: { disabled: log.child('accesslog').boolean('disabled', false) },
    reportcaller: log.boolean('reportcaller', false),
  };
}
