import { expect } from 'chai';
import { layout } from '../src/index.js';

const digest = `sha256:${'ab'.repeat(32)}`;
const alias = `sha512:${'cd'.repeat(64)}`;
const hex = 'ab'.repeat(32);

describe('storage layout', () => {
  // One row per path template; each must be byte-identical to distribution's paths.go.
  const table: [string, string][] = [
    [layout.blobDataPath(digest), `/docker/registry/v2/blobs/sha256/ab/${hex}/data`],
    [layout.blobDirectory(digest), `/docker/registry/v2/blobs/sha256/ab/${hex}`],
    [layout.repositoryPath('group/app'), '/docker/registry/v2/repositories/group/app'],
    [
      layout.layerLinkPath('group/app', digest),
      `/docker/registry/v2/repositories/group/app/_layers/sha256/${hex}/link`,
    ],
    [
      layout.layerLinkPath('a', alias),
      `/docker/registry/v2/repositories/a/_layers/sha512/${'cd'.repeat(64)}/link`,
    ],
    [layout.layersPath('group/app'), '/docker/registry/v2/repositories/group/app/_layers'],
    [layout.manifestsPath('a'), '/docker/registry/v2/repositories/a/_manifests'],
    [layout.revisionsPath('a'), '/docker/registry/v2/repositories/a/_manifests/revisions'],
    [
      layout.revisionLinkPath('a', digest),
      `/docker/registry/v2/repositories/a/_manifests/revisions/sha256/${hex}/link`,
    ],
    [layout.tagsPath('a'), '/docker/registry/v2/repositories/a/_manifests/tags'],
    [layout.tagPath('a', 'v1.0'), '/docker/registry/v2/repositories/a/_manifests/tags/v1.0'],
    [
      layout.tagCurrentLinkPath('a', 'latest'),
      '/docker/registry/v2/repositories/a/_manifests/tags/latest/current/link',
    ],
    [
      layout.tagIndexLinkPath('a', 'latest', digest),
      `/docker/registry/v2/repositories/a/_manifests/tags/latest/index/sha256/${hex}/link`,
    ],
    [layout.uploadsPath('a'), '/docker/registry/v2/repositories/a/_uploads'],
    [layout.uploadPath('a', 'u-1'), '/docker/registry/v2/repositories/a/_uploads/u-1'],
    [layout.uploadDataPath('a', 'u-1'), '/docker/registry/v2/repositories/a/_uploads/u-1/data'],
    [
      layout.uploadStartedAtPath('a', 'u-1'),
      '/docker/registry/v2/repositories/a/_uploads/u-1/startedat',
    ],
    [layout.referrersRootPath('a'), '/docker/registry/v2/repositories/a/_referrers'],
    [
      layout.referrersPath('a', digest),
      `/docker/registry/v2/repositories/a/_referrers/sha256/${hex}`,
    ],
    [
      layout.referrerLinkPath('a', digest, digest),
      `/docker/registry/v2/repositories/a/_referrers/sha256/${hex}/sha256/${hex}/link`,
    ],
  ];
  for (const [actual, expected] of table) {
    it(expected.replace(/[0-9a-f]{64,}/g, '<hex>'), () => {
      expect(actual).to.equal(expected);
    });
  }
  it("a repository's own directories, _manifests first", () => {
    expect(layout.repositoryOwnPaths('group/app')).to.deep.equal([
      '/docker/registry/v2/repositories/group/app/_manifests',
      '/docker/registry/v2/repositories/group/app/_referrers',
      '/docker/registry/v2/repositories/group/app/_layers',
      '/docker/registry/v2/repositories/group/app/_uploads',
    ]);
  });
  it('roots', () => {
    expect([layout.rootPath, layout.blobsPath, layout.repositoriesPath]).to.deep.equal([
      '/docker/registry/v2',
      '/docker/registry/v2/blobs',
      '/docker/registry/v2/repositories',
    ]);
  });
});
