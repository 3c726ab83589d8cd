import type { Fields } from '../fields.js';
import type { NotificationEndpointConfig, NotificationsConfig } from '../registry-config.js';
import { readHttpUrl } from './address.js';

const second = 1000;

/** `notifications`: webhook endpoints, with distribution's defaults for 0 or absent values. */
export function readNotifications(root: Fields): NotificationsConfig {
  const notifications = root.child('notifications');
  const endpoints: NotificationEndpointConfig[] = [];
  for (const fields of notifications.elements('endpoints')) {
    const endpoint = readEndpoint(fields);
    // Names key the endpoints' metrics and logs.
    if (endpoints.some((other) => other.name === endpoint.name)) {
      throw fields.invalid(
        'name',
        'a name no other endpoint has',
        `${JSON.stringify(endpoint.name)} is also the name of an earlier endpoint; expected a name no other endpoint has`,
      );
    }
    endpoints.push(endpoint);
  }
  return {
    events: {
      includereferences: notifications.child('events').boolean('includereferences', false),
    },
    endpoints,
  };
}

function readEndpoint(endpoint: Fields): NotificationEndpointConfig {
  const ignore = endpoint.child('ignore');
  return {
    name: endpoint.requiredString('name'),
    disabled: endpoint.boolean('disabled', false),
    url: readHttpUrl(endpoint, 'url'),
    headers: endpoint.headers('headers'),
    timeout: endpoint.durationOrDefault('timeout', second),
    threshold: endpoint.integerOrDefault('threshold', 10),
    backoff: endpoint.durationOrDefault('backoff', second),
    ignoredmediatypes: endpoint.strings('ignoredmediatypes'),
    ignore: { mediatypes: ignore.strings('mediatypes'), actions: ignore.strings('actions') },
  };
}
