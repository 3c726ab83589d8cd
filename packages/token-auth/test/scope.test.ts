import { expect } from 'chai';
import {
  formatAccess,
  formatScopes,
  maxScopeLength,
  parseScope,
  parseScopes,
  satisfies,
} from '../src/index.js';

describe('scopes', () => {
  describe('parseScope', () => {
    it('reads type, name and actions', () => {
      expect(parseScope('repository:group/app:pull,push')).to.deep.equal({
        type: 'repository',
        name: 'group/app',
        actions: ['pull', 'push'],
      });
      expect(parseScope('repository:samalba/my-app:*')).to.deep.equal({
        type: 'repository',
        name: 'samalba/my-app',
        actions: ['*'],
      });
    });

    it('keeps a resource class', () => {
      expect(parseScope('repository(plugin):vieux/sshfs:pull')).to.deep.equal({
        type: 'repository',
        class: 'plugin',
        name: 'vieux/sshfs',
        actions: ['pull'],
      });
    });

    it('takes the catalog', () => {
      expect(parseScope('registry:catalog:*')).to.deep.equal({
        type: 'registry',
        name: 'catalog',
        actions: ['*'],
      });
    });

    it('splits type at the first colon and actions at the last, so a host:port prefix survives', () => {
      expect(parseScope('repository:localhost:5000/group/app:pull')).to.deep.equal({
        type: 'repository',
        name: 'localhost:5000/group/app',
        actions: ['pull'],
      });
      expect(parseScope('repository:Registry.Example.com/app:push')?.name).to.equal(
        'Registry.Example.com/app',
      );
      expect(parseScope('repository:[::1]:5000/app:pull')?.name).to.equal('[::1]:5000/app');
    });

    it('drops empty actions and merges repeated ones', () => {
      expect(parseScope('repository:app:pull,,push,pull,')?.actions).to.deep.equal([
        'pull',
        'push',
      ]);
      expect(parseScope('repository:app:')?.actions).to.deep.equal([]);
    });

    it('ignores every malformed form whole, never granting part of it', () => {
      const malformed = [
        '',
        'repository',
        'repository:app',
        ':app:pull',
        'repository::pull',
        'Repository:app:pull',
        'repo-sitory:app:pull',
        'repository(:app:pull',
        'repository():app:pull',
        'repository(Plugin):app:pull',
        'repository(a)(b):app:pull',
        'repository:App:pull',
        'repository:app/:pull',
        'repository:/app:pull',
        'repository:a//b:pull',
        'repository:-app:pull',
        'repository:app:PULL',
        'repository:app:pull,PUSH',
        'repository:app:pull push',
        'repository:app:pu-ll',
        'repository:app:**',
        'repository:app:pull,*x',
        'repository:host:port/app:pull',
        'repository:host:5000:pull',
        'repository:host:5000/a:b:pull',
        'repository:-host.com/app:pull',
        'repository:host_name:5000/app:pull',
        'repository:host:5000/App:pull',
        'registry:catalogue:*',
        'registry:group/app:*',
        `repository:${'a'.repeat(256)}:pull`,
        `repository:example.com/${'a'.repeat(250)}:pull`,
        `repository:app:${'pull,'.repeat(maxScopeLength / 5)}`,
      ];
      for (const text of malformed) {
        expect(parseScope(text), text).to.equal(undefined);
      }
    });
  });

  describe('parseScopes', () => {
    it('reads several space-separated scopes per value and several values', () => {
      expect(
        parseScopes([
          'repository:a:pull repository:b:pull,push',
          'registry:catalog:*',
          '  repository:c:delete  ',
        ]),
      ).to.deep.equal([
        { type: 'repository', name: 'a', actions: ['pull'] },
        { type: 'repository', name: 'b', actions: ['pull', 'push'] },
        { type: 'registry', name: 'catalog', actions: ['*'] },
        { type: 'repository', name: 'c', actions: ['delete'] },
      ]);
    });

    it('merges duplicates per resource, class apart', () => {
      expect(
        parseScopes([
          'repository:a:pull',
          'repository:a:push repository:a:pull',
          'repository(plugin):a:delete',
        ]),
      ).to.deep.equal([
        { type: 'repository', name: 'a', actions: ['pull', 'push'] },
        { type: 'repository', class: 'plugin', name: 'a', actions: ['delete'] },
      ]);
    });

    it('leaves malformed scopes out and keeps the rest', () => {
      expect(parseScopes('repository:A:pull repository:b:pull registry:x:*')).to.deep.equal([
        { type: 'repository', name: 'b', actions: ['pull'] },
      ]);
    });

    it('takes a single string or nothing', () => {
      expect(parseScopes(undefined)).to.deep.equal([]);
      expect(parseScopes('')).to.deep.equal([]);
      expect(parseScopes('repository:a:pull')).to.have.length(1);
    });
  });

  it('formats scopes back, classes included', () => {
    const text = 'repository(plugin):a:pull repository:host:5000/b:pull,push registry:catalog:*';
    expect(formatScopes(parseScopes(text))).to.equal(text);
    expect(formatAccess({ type: 'repository', class: '', name: 'a', actions: ['pull'] })).to.equal(
      'repository:a:pull',
    );
    expect(formatScopes([])).to.equal('');
  });

  describe('satisfies', () => {
    const granted = parseScopes('repository:a:pull repository:b:* repository(plugin):c:push');

    it('needs every action on the same resource', () => {
      expect(satisfies(granted, { type: 'repository', name: 'a', actions: ['pull'] })).to.equal(
        true,
      );
      expect(
        satisfies(granted, { type: 'repository', name: 'a', actions: ['pull', 'push'] }),
      ).to.equal(false);
      expect(satisfies(granted, { type: 'repository', name: 'x', actions: ['pull'] })).to.equal(
        false,
      );
      expect(satisfies(granted, { type: 'registry', name: 'a', actions: ['pull'] })).to.equal(
        false,
      );
    });

    it('lets a granted * cover any action, but not a list stand for *', () => {
      expect(
        satisfies(granted, { type: 'repository', name: 'b', actions: ['pull', 'push', 'delete'] }),
      ).to.equal(true);
      expect(satisfies(granted, { type: 'repository', name: 'a', actions: ['*'] })).to.equal(false);
    });

    it('ignores the resource class, as distribution v3 does', () => {
      expect(satisfies(granted, { type: 'repository', name: 'c', actions: ['push'] })).to.equal(
        true,
      );
      expect(
        satisfies(granted, { type: 'repository', class: 'image', name: 'a', actions: ['pull'] }),
      ).to.equal(true);
    });

    it('is satisfied by anything when nothing is needed', () => {
      expect(satisfies([], { type: 'repository', name: 'a', actions: [] })).to.equal(true);
    });
  });
});
