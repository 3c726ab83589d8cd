import { expect } from 'chai';
import { parseWith, sectionFailure, yaml } from './helpers.js';

function endpoints(list: string) {
  return parseWith(`notifications:\n  endpoints:\n${list.replace(/^/gm, '    ')}\n`);
}

function endpointFailure(list: string) {
  return sectionFailure(`notifications:\n  endpoints:\n${list.replace(/^/gm, '    ')}\n`);
}

describe('notifications', () => {
  it('reads endpoints with their settings', () => {
    const { config } = parseWith(yaml`
      notifications:
        events: {includereferences: true}
        endpoints:
          - name: listener
            disabled: true
            url: https://hooks.example.com/events
            headers: {Authorization: [Bearer x], X-One: one}
            timeout: 5s
            threshold: 3
            backoff: 30s
            ignoredmediatypes: [application/octet-stream]
            ignore: {mediatypes: [a/b], actions: [pull, mount]}
          - name: second
            url: http://localhost:8080/
    `);
    expect(config.notifications.events.includereferences).to.equal(true);
    expect(config.notifications.endpoints[0]).to.deep.equal({
      name: 'listener',
      disabled: true,
      url: 'https://hooks.example.com/events',
      headers: { Authorization: ['Bearer x'], 'X-One': ['one'] },
      timeout: 5000,
      threshold: 3,
      backoff: 30_000,
      ignoredmediatypes: ['application/octet-stream'],
      ignore: { mediatypes: ['a/b'], actions: ['pull', 'mount'] },
    });
    expect(config.notifications.endpoints[1]?.name).to.equal('second');
  });

  it('requires a name and an absolute http(s) url', () => {
    expect(
      endpoints('- {name: a, url: "https://a:8443/events"}').config.notifications.endpoints,
    ).to.have.length(1);
    expect(endpointFailure('- url: http://a').message).to.equal(
      'config.yml: notifications.endpoints[0].name: missing; expected a non-empty string',
    );
    expect(endpointFailure('- {name: a, url: "http://a"}\n- {name: b}').message).to.equal(
      'config.yml: notifications.endpoints[1].url: missing; expected a non-empty string',
    );
    expect(endpointFailure('- {name: a, url: /events}').message).to.equal(
      'config.yml: notifications.endpoints[0].url: "/events" is not valid; expected an absolute http or https URL, such as https://registry.example.com',
    );
  });

  it('refuses two endpoints with one name', () => {
    const error = endpointFailure('- {name: a, url: "http://a"}\n- {name: a, url: "http://b"}');
    expect(error.message).to.equal(
      'config.yml: notifications.endpoints[1].name: "a" is also the name of an earlier endpoint; expected a name no other endpoint has',
    );
  });

  it('names the key of a bad endpoint setting', () => {
    expect(endpointFailure('- {name: a, url: "http://a", timeout: soon}').key).to.equal(
      'notifications.endpoints[0].timeout',
    );
    expect(endpointFailure('- {name: a, url: "http://a", threshold: -1}').message).to.equal(
      'config.yml: notifications.endpoints[0].threshold: -1 is not valid; expected a whole number ≥ 0',
    );
    expect(endpointFailure('- {name: a, url: "http://a", ignore: {actions: pull}}').key).to.equal(
      'notifications.endpoints[0].ignore.actions',
    );
    expect(endpointFailure('- just-a-name').message).to.equal(
      'config.yml: notifications.endpoints[0]: "just-a-name" is not valid; expected a mapping',
    );
    expect(sectionFailure('notifications: {endpoints: {name: a}}\n').message).to.equal(
      'config.yml: notifications.endpoints: {"name":"a"} is not valid; expected a list of mappings',
    );
  });
});
