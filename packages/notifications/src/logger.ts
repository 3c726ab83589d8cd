/**
 * Where the notifier reports what an operator must hear about (full spools, torn records,
 * failing endpoints); the app passes its structured logger. Everything is also written to
 * `NODE_DEBUG=lading:notifications`.
 */
export type NotificationLogger = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields: Readonly<Record<string, unknown>>,
) => void;
