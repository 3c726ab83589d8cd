export {
  buildEvent,
  encodeEnvelope,
  EVENTS_MEDIA_TYPE,
  type BuildEventOptions,
  type EventSource,
  type NotificationAction,
  type NotificationDescriptor,
  type NotificationEnvelope,
  type NotificationEvent,
  type NotificationInput,
} from './envelope.js';
export { endpointDefaults, endpointWants, type NotificationEndpoint } from './endpoint.js';
export type { NotificationLogger } from './logger.js';
export { Spool, type SpoolOptions, type SpoolPosition, type SpoolRecord } from './spool.js';
export { EndpointDispatcher, type DispatcherOptions, type EndpointSnapshot } from './dispatcher.js';
export {
  createNotifier,
  spoolDirectoryName,
  type Notifier,
  type NotifierOptions,
} from './notifier.js';
