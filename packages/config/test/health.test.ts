import { expect } from 'chai';
import { parseWith, sectionFailure, yaml } from './helpers.js';

describe('health', () => {
  it('reads the storage driver, file, http and tcp checks', () => {
    const { config } = parseWith(yaml`
      health:
        storagedriver: {enabled: true, interval: 30s, threshold: 5}
        file: [{file: /srv/maintenance, interval: 1m}]
        http:
          - uri: https://upstream.example.com/health
            headers: {Authorization: [Basic eA==]}
            statuscode: 204
            timeout: 2s
            interval: 5s
            threshold: 2
        tcp: [{addr: "db:5432", timeout: 1s, interval: 20s, threshold: 4}]
    `);
    expect(config.health).to.deep.equal({
      storagedriver: { enabled: true, interval: 30_000, threshold: 5 },
      file: [{ file: '/srv/maintenance', interval: 60_000 }],
      http: [
        {
          uri: 'https://upstream.example.com/health',
          headers: { Authorization: ['Basic eA=='] },
          statuscode: 204,
          timeout: 2000,
          interval: 5000,
          threshold: 2,
        },
      ],
      tcp: [{ addr: 'db:5432', timeout: 1000, interval: 20_000, threshold: 4 }],
    });
  });

  it('names the key of a bad check', () => {
    expect(sectionFailure('health: {file: [{interval: 1s}]}\n').message).to.equal(
      'config.yml: health.file[0].file: missing; expected a non-empty string',
    );
    expect(
      sectionFailure('health: {http: [{uri: "http://a", statuscode: 42}]}\n').message,
    ).to.equal(
      'config.yml: health.http[0].statuscode: 42 is not valid; expected an HTTP status code from 100 to 599',
    );
    expect(sectionFailure('health: {http: [{uri: "http://a", statuscode: 600}]}\n').key).to.equal(
      'health.http[0].statuscode',
    );
    expect(sectionFailure('health: {http: [{uri: localhost}]}\n').key).to.equal(
      'health.http[0].uri',
    );
    expect(sectionFailure('health: {tcp: [{addr: db}]}\n').message).to.equal(
      'config.yml: health.tcp[0].addr: "db" is not valid; expected host:port or :port',
    );
    expect(sectionFailure('health: {tcp: [{addr: "db:1", interval: x}]}\n').key).to.equal(
      'health.tcp[0].interval',
    );
    expect(sectionFailure('health: {storagedriver: {threshold: many}}\n').key).to.equal(
      'health.storagedriver.threshold',
    );
  });
});
