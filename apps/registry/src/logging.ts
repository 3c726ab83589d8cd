import { pino, type Logger } from 'pino';

export interface LogSettings {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * Structured JSON logs on stdout, one object per line, with the fields the
 * config adds to every entry. distribution's `text` formatter is not
 * offered: JSON is what log collectors read.
 */
export function createLogger(settings: LogSettings, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: settings.level,
      base: { service: 'lading', ...settings.fields },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // The default serializer appends each cause's message to the error's own, and storage
      // errors already carry their cause's text: the cause goes in its own field instead.
      serializers: { err: pino.stdSerializers.errWithCause },
    },
    destination ?? process.stdout,
  );
}
