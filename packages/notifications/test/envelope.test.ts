import { expect } from 'chai';
import {
  buildEvent,
  encodeEnvelope,
  endpointWants,
  type NotificationEndpoint,
} from '../src/index.js';
import { layerType, manifestType, push } from './support/events.js';

const options = {
  baseUrl: 'https://registry.example.com/',
  source: { addr: 'node-1:5000', instanceID: 'instance-1' },
};

describe('envelope', () => {
  it('builds distribution’s event from the registry’s, with the url by digest', () => {
    const timestamp = new Date('2026-01-02T03:04:05.678Z');
    const event = buildEvent({ ...push(1), id: 'event-1', timestamp }, options);
    expect(event).to.deep.equal({
      id: 'event-1',
      timestamp: '2026-01-02T03:04:05.678Z',
      action: 'push',
      target: {
        mediaType: manifestType,
        size: 101,
        length: 101,
        digest: `sha256:${'1'.padStart(64, '0')}`,
        repository: 'group/app',
        url: `https://registry.example.com/v2/group/app/manifests/sha256:${'1'.padStart(64, '0')}`,
        tag: 'v1',
      },
      request: {
        id: 'request-1',
        addr: '192.0.2.1:4000',
        host: 'registry.test',
        method: 'PUT',
        useragent: 'test/1.0',
      },
      actor: { name: 'alice' },
      source: { addr: 'node-1:5000', instanceID: 'instance-1' },
    });
  });

  it('points blobs at /blobs/, keeps a mount’s origin, and leaves tag deletes without url', () => {
    const blob = buildEvent(
      {
        action: 'mount',
        target: { kind: 'blob', repository: 'b', digest: 'sha256:aa', fromRepository: 'a' },
      },
      options,
    );
    expect(blob.target.url).to.equal('https://registry.example.com/v2/b/blobs/sha256:aa');
    expect(blob.target.fromRepository).to.equal('a');
    expect(blob.actor).to.deep.equal({});
    expect(blob.request).to.deep.equal({ id: '', addr: '', host: '', method: '', useragent: '' });
    expect(blob.id).to.match(/^[0-9a-f-]{36}$/);
    const tag = buildEvent(
      { action: 'delete', target: { kind: 'tag', repository: 'b', tag: 'latest' } },
      options,
    );
    expect(tag.target).to.deep.equal({ repository: 'b', tag: 'latest' });
  });

  it('adds references only when asked to, as descriptors', () => {
    const input = {
      ...push(2),
      target: { ...push(2).target, references: ['sha256:bb', { digest: 'sha256:cc', size: 3 }] },
    };
    expect(buildEvent(input, options).target.references).to.equal(undefined);
    expect(
      buildEvent(input, { ...options, includeReferences: true }).target.references,
    ).to.deep.equal([{ digest: 'sha256:bb' }, { digest: 'sha256:cc', size: 3 }]);
  });

  it('encodes the envelope indented by three spaces, as distribution', () => {
    const event = buildEvent(push(3), options);
    const body = encodeEnvelope([event]);
    expect(JSON.parse(body)).to.deep.equal({ events: [event] });
    expect(body).to.match(/^\{\n {3}"events": \[\n {6}\{/);
  });
});

describe('endpoint filters', () => {
  const endpoint = (extra: Partial<NotificationEndpoint>): NotificationEndpoint => ({
    name: 'e',
    url: 'http://127.0.0.1:1/',
    ...extra,
  });
  const manifestPush = buildEvent(push(1), options);
  const layerPush = buildEvent(push(2, layerType), options);
  const pull = buildEvent({ ...push(3), action: 'pull' }, options);

  it('take every event by default', () => {
    expect([manifestPush, layerPush, pull].every((e) => endpointWants(endpoint({}), e))).to.equal(
      true,
    );
  });

  it('drop the legacy ignoredmediatypes, ignore.mediatypes and ignore.actions, any of them', () => {
    const legacy = endpoint({ ignoredmediatypes: [layerType] });
    expect(endpointWants(legacy, layerPush)).to.equal(false);
    expect(endpointWants(legacy, manifestPush)).to.equal(true);
    const both = endpoint({
      ignoredmediatypes: [layerType],
      ignore: { mediatypes: [manifestType], actions: ['pull'] },
    });
    expect(endpointWants(both, layerPush)).to.equal(false);
    expect(endpointWants(both, manifestPush)).to.equal(false);
    const actions = endpoint({ ignore: { actions: ['pull'] } });
    expect(endpointWants(actions, pull)).to.equal(false);
    expect(endpointWants(actions, manifestPush)).to.equal(true);
    const tagDelete = buildEvent(
      { action: 'delete', target: { kind: 'tag', repository: 'r', tag: 't' } },
      options,
    );
    expect(endpointWants(endpoint({ ignore: { mediatypes: [manifestType] } }), tagDelete)).to.equal(
      true,
    );
  });
});
