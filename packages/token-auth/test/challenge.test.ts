import { expect } from 'chai';
import { basicChallenge, bearerChallenge, parseChallenge, parseScopes } from '../src/index.js';

describe('challenges', () => {
  it('builds a bearer challenge with realm, service, scope and error', () => {
    expect(
      bearerChallenge({
        realm: 'https://gitlab.example.com/jwt/auth',
        service: 'container_registry',
        scope: parseScopes('repository:a:pull repository:b:pull,push'),
        error: 'insufficient_scope',
      }),
    ).to.equal(
      'Bearer realm="https://gitlab.example.com/jwt/auth",service="container_registry",scope="repository:a:pull repository:b:pull,push",error="insufficient_scope"',
    );
  });

  it('leaves out an empty scope and a missing error', () => {
    expect(bearerChallenge({ realm: 'r', service: 's', scope: [] })).to.equal(
      'Bearer realm="r",service="s"',
    );
    expect(bearerChallenge({ realm: 'r', service: 's' })).to.equal('Bearer realm="r",service="s"');
  });

  it('escapes quotes and backslashes, and refuses control characters', () => {
    expect(basicChallenge('say "hi" \\ bye')).to.equal('Basic realm="say \\"hi\\" \\\\ bye"');
    expect(() => basicChallenge('a\r\nSet-Cookie: x=1')).to.throw(TypeError, /control character/);
    expect(basicChallenge('tab\there')).to.equal('Basic realm="tab\there"');
  });

  it('round-trips through parseChallenge, commas and quotes included', () => {
    const realm = 'https://auth.example.com/token?a=1,b="2"';
    const header = bearerChallenge({
      realm,
      service: 'registry, "main"',
      scope: parseScopes('repository:a:pull,push registry:catalog:*'),
      error: 'invalid_token',
    });
    expect(parseChallenge(header)).to.deep.equal({
      scheme: 'Bearer',
      params: {
        realm,
        service: 'registry, "main"',
        scope: 'repository:a:pull,push registry:catalog:*',
        error: 'invalid_token',
      },
    });
  });

  it('parses tokens, spaces around "=" and ",", case-insensitive names, empty list items', () => {
    expect(parseChallenge('bearer Realm = "r" ,  service=registry.io , , scope=""')).to.deep.equal({
      scheme: 'bearer',
      params: { realm: 'r', service: 'registry.io', scope: '' },
    });
    expect(parseChallenge('Negotiate')).to.deep.equal({ scheme: 'Negotiate', params: {} });
    expect(parseChallenge('  Basic\trealm="x"')).to.deep.equal({
      scheme: 'Basic',
      params: { realm: 'x' },
    });
  });

  it('stops at the next challenge of a list', () => {
    expect(parseChallenge('Bearer realm="a",service="b", Basic realm="c"')).to.deep.equal({
      scheme: 'Bearer',
      params: { realm: 'a', service: 'b' },
    });
  });

  it('refuses what is not a challenge with parameters', () => {
    for (const header of [
      '',
      '"Bearer"',
      'Bearer,realm="a"',
      'Bearer realm',
      'Bearer realm=',
      'Bearer realm="a',
      'Bearer realm="a\\',
      'Bearer realm="a" service="b"',
      'Bearer realm="a",realm="b"',
      'Bearer =x',
      'Basic dXNlcjpwYXNz',
      'Basic dXNl==',
      'Bearer realm=a"b"',
    ]) {
      expect(parseChallenge(header), header).to.equal(undefined);
    }
  });
});
