import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import {
  copyImage,
  createPodman,
  inspectRaw,
  ociMediaTypes,
  sha256Digest,
  startDistribution,
  writeOciLayout,
  type OciImageSpec,
  type Podman,
  type RunningDistribution,
  type WrittenImage,
} from '../src/index.js';
import { cleanupStack, temporaryDirectory } from './helpers.js';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}
interface Manifest {
  schemaVersion: number;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

const image: OciImageSpec = {
  tag: '1.0',
  layers: [
    { files: { 'etc/motd': 'podman first\n' } },
    { files: { 'bin/run': 'podman second\n' } },
  ],
};

function blobOf(written: WrittenImage, digest: string): Buffer {
  const blob = written.blobs.get(digest);
  if (blob === undefined) throw new Error(`no blob ${digest} in the written image`);
  return blob;
}

/** The manifest a registry serves for `reference` (docker://…), its exact digest, parsed. */
async function servedManifest(
  reference: string,
): Promise<{ raw: Buffer; digest: string; manifest: Manifest }> {
  const raw = Buffer.from(await inspectRaw(reference), 'utf8');
  return { raw, digest: sha256Digest(raw), manifest: JSON.parse(raw.toString('utf8')) as Manifest };
}

async function fetchBlob(registry: RunningDistribution, repository: string, digest: string) {
  const response = await fetch(`${registry.url}/v2/${repository}/blobs/${digest}`);
  expect(response.status, `GET blob ${digest}`).to.equal(200);
  return Buffer.from(await response.arrayBuffer());
}

/** The access-log lines of requests podman (containers/image, not skopeo) made. */
function podmanRequests(registry: RunningDistribution): string[] {
  return registry
    .logs()
    .split('\n')
    .filter((line) => line.includes('"containers/') && line.includes('HTTP/1.1"'));
}

async function podmanTempDirectories(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('lading-podman-')).sort();
}

describe('podman against a real distribution', function () {
  this.timeout(120_000);
  let temporary: Awaited<ReturnType<typeof temporaryDirectory>>;
  let registry: RunningDistribution;
  let podman: Podman;
  let written: WrittenImage;
  let layout: string;
  let demo: string; // 127.0.0.1:PORT/library/demo:1.0
  let skopeoPushedDigest: string;
  let podmanDirectoriesBefore: string[];
  const cleanup = cleanupStack();

  before(async () => {
    podmanDirectoriesBefore = await podmanTempDirectories();
    temporary = await temporaryDirectory();
    cleanup.add(temporary.remove);
    registry = await startDistribution({ rootDirectory: join(temporary.path, 'registry-root') });
    cleanup.add(() => registry.stop());
    // Capital letters on purpose: podman 4.3 alone cannot pull oci:DIR when DIR has any.
    layout = join(temporary.path, 'OCI-Layout');
    written = await writeOciLayout(layout, image);
    demo = `${registry.host}/library/demo:1.0`;
    await copyImage(`oci:${layout}:1.0`, `docker://${demo}`);
    skopeoPushedDigest = (await servedManifest(`docker://${demo}`)).digest;
    podman = await createPodman();
    cleanup.add(() => podman.dispose());
  });
  after(async () => {
    await cleanup.run();
    expect(await podmanTempDirectories()).to.deep.equal(podmanDirectoriesBefore);
  });

  it('pulls by tag what skopeo pushed and records the manifest digest skopeo pushed', async () => {
    const id = await podman.pull(`docker://${demo}`);
    // podman's image ID is the config digest, so it read the config the manifest names.
    expect(`sha256:${id}`).to.equal(written.configDigest);
    expect(await podman.imageDigest(demo)).to.equal(skopeoPushedDigest);
    expect(skopeoPushedDigest).to.equal(written.manifestDigest);
    // The plain name works as well as docker://, and it really went to this server.
    expect(await podman.pull(demo)).to.equal(id);
    const requests = podmanRequests(registry);
    expect(requests.some((line) => line.includes('"GET /v2/library/demo/manifests/1.0 '))).to.equal(
      true,
    );
    for (const digest of written.layerDigests) {
      expect(
        requests.some((line) => line.includes(`"GET /v2/library/demo/blobs/${digest} `)),
        digest,
      ).to.equal(true);
    }
  });

  it('pushes a tag to a new repository on the same server with the very same blobs', async () => {
    await podman.pull(demo);
    const copy = `${registry.host}/library/copy:2.0`;
    await podman.tag(demo, copy);
    const pushedDigest = await podman.push(copy, `docker://${copy}`);

    const served = await servedManifest(`docker://${copy}`);
    expect(served.digest).to.equal(pushedDigest);
    expect(served.manifest.layers.map((layer) => layer.digest)).to.deep.equal(written.layerDigests);
    expect(served.manifest.config.digest).to.equal(written.configDigest);
    // What podman changes on the same server: nothing. It offers the uncompressed layers from
    // its storage, finds (in containers/image's blob-info cache) that this registry has their
    // gzip forms in library/demo, mounts those, and so keeps the manifest byte for byte.
    expect(served.raw).to.deep.equal(written.manifest);
    const requests = podmanRequests(registry);
    for (const digest of written.layerDigests) {
      const mount = `"POST /v2/library/copy/blobs/uploads/?from=library%2Fdemo&mount=${encodeURIComponent(digest)} `;
      expect(
        requests.some((line) => line.includes(mount)),
        `mount of ${digest}`,
      ).to.equal(true);
    }
    // No layer was uploaded: the only upload session finished is the config's.
    const finishedUploads = requests.filter((line) =>
      line.includes('"PUT /v2/library/copy/blobs/uploads/'),
    );
    expect(finishedUploads).to.have.length(1);
    expect(finishedUploads[0]).to.include(`digest=${encodeURIComponent(written.configDigest)}`);
  });

  it('recompresses the layers when pushing to a server that never had them', async () => {
    const other = await startDistribution({ rootDirectory: join(temporary.path, 'other-root') });
    try {
      await podman.pull(demo);
      const target = `${other.host}/library/other:1`;
      await podman.tag(demo, target);
      const pushedDigest = await podman.push(target, target);

      const served = await servedManifest(`docker://${target}`);
      expect(served.digest).to.equal(pushedDigest);
      // What podman changes here: every layer. vfs stores them unpacked, and with no gzip
      // form known at this registry podman compresses them again with Go's gzip, which is not
      // Node's zlib: new digests and sizes, so a new manifest. The rest stays: OCI media types,
      // the config blob, and the uncompressed content of each layer.
      expect(pushedDigest).to.not.equal(written.manifestDigest);
      expect(served.manifest.mediaType).to.equal(ociMediaTypes.imageManifest);
      expect(served.manifest.config).to.deep.equal({
        mediaType: ociMediaTypes.imageConfig,
        digest: written.configDigest,
        size: blobOf(written, written.configDigest).length,
      });
      expect(served.manifest.layers).to.have.length(written.layerDigests.length);
      for (const [position, layer] of served.manifest.layers.entries()) {
        const originalDigest = written.layerDigests[position] ?? '';
        expect(layer.mediaType).to.equal(ociMediaTypes.layerTarGzip);
        expect(layer.digest).to.not.equal(originalDigest);
        const pushedLayer = await fetchBlob(other, 'library/other', layer.digest);
        expect(sha256Digest(pushedLayer)).to.equal(layer.digest);
        expect(gunzipSync(pushedLayer)).to.deep.equal(gunzipSync(blobOf(written, originalDigest)));
      }
      // podman keeps recording the digest it pulled, not the one it just pushed.
      expect(await podman.imageDigest(target)).to.equal(written.manifestDigest);
    } finally {
      await other.stop();
    }
  });

  it('pulls straight from an OCI layout, under a localhost/oci-layout-N name', async () => {
    const fresh = await createPodman({ directory: join(temporary.path, 'podman-oci') });
    try {
      const id = await fresh.pull(`oci:${layout}:1.0`);
      expect(`sha256:${id}`).to.equal(written.configDigest);
      const { stdout } = await fresh.run(['images', '--format', '{{.Repository}}:{{.Tag}}']);
      expect(stdout.trim().split('\n')).to.deep.equal(['localhost/oci-layout-1:latest']);
      expect(await fresh.imageDigest('localhost/oci-layout-1:latest')).to.equal(
        written.manifestDigest,
      );
      expect(await fresh.imageDigest(id)).to.equal(written.manifestDigest);
      // The link it pulled through is gone again; the layout is untouched.
      expect(await readdir(join(fresh.directory, 'oci-layouts'))).to.deep.equal([]);
    } finally {
      await fresh.dispose();
    }
  });
});

describe('podman login against distribution with htpasswd auth', function () {
  this.timeout(120_000);
  let temporary: Awaited<ReturnType<typeof temporaryDirectory>>;
  let registry: RunningDistribution;
  let podman: Podman;
  let written: WrittenImage;
  let demo: string;
  let seededDigest: string;
  const password = 'correct horse battery staple';
  const cleanup = cleanupStack();

  before(async () => {
    temporary = await temporaryDirectory();
    cleanup.add(temporary.remove);
    registry = await startDistribution({
      rootDirectory: join(temporary.path, 'registry-root'),
      htpasswd: { users: { alice: password, bob: 'other' } },
    });
    cleanup.add(() => registry.stop());
    const layout = join(temporary.path, 'layout');
    written = await writeOciLayout(layout, image);
    demo = `${registry.host}/library/demo:1.0`;
    // Seed the registry through a second podman, which has to log in to push. (Its push
    // recompresses the layers, as this registry never had them: a new manifest digest.)
    const seeder = await createPodman();
    try {
      await seeder.pull(`oci:${layout}:1.0`);
      await seeder.tag('localhost/oci-layout-1:latest', demo);
      await seeder.login(registry.host, 'alice', password);
      seededDigest = await seeder.push(demo, demo);
    } finally {
      await seeder.dispose();
    }
    podman = await createPodman();
    cleanup.add(() => podman.dispose());
  });
  after(() => cleanup.run());

  async function authFile(): Promise<{ auths: Record<string, { auth: string }> }> {
    return JSON.parse(await readFile(podman.authFile, 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
  }

  async function failure(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      return String(error);
    }
    return expect.fail('must be rejected');
  }

  it('refuses a pull without login, a wrong password, and pulls after a right login', async () => {
    expect(await failure(podman.pull(demo))).to.include('unauthorized: authentication required');

    expect(await failure(podman.login(registry.host, 'alice', 'wrong'))).to.include(
      'invalid username/password',
    );
    expect((await authFile()).auths).to.deep.equal({});

    await podman.login(registry.host, 'alice', password);
    const entry = (await authFile()).auths[registry.host];
    expect(Buffer.from(entry?.auth ?? '', 'base64').toString('utf8')).to.equal(`alice:${password}`);
    expect(`sha256:${await podman.pull(demo)}`).to.equal(written.configDigest);
    expect(await podman.imageDigest(demo)).to.equal(seededDigest);
  });

  it('keeps credentials to itself, and forgets them on logout', async () => {
    await podman.login(registry.host, 'alice', password);
    const other = await createPodman();
    try {
      expect(await failure(other.pull(demo))).to.include('unauthorized');
    } finally {
      await other.dispose();
    }

    await podman.logout(registry.host);
    expect((await authFile()).auths).to.deep.equal({});
    // An explicit pull always asks the registry, so without credentials it fails again.
    expect(await failure(podman.pull(demo))).to.include('unauthorized');
    expect(await failure(podman.logout(registry.host))).to.include(
      `not logged into ${registry.host}`,
    );
  });
});

describe('isolated podman instances', function () {
  this.timeout(120_000);
  let temporary: Awaited<ReturnType<typeof temporaryDirectory>>;
  let layout: string;
  let written: WrittenImage;

  before(async () => {
    temporary = await temporaryDirectory();
    layout = join(temporary.path, 'layout');
    written = await writeOciLayout(layout, image);
  });
  after(() => temporary.remove());

  async function imageIds(podman: Podman): Promise<string[]> {
    const { stdout } = await podman.run(['images', '--quiet', '--no-trunc']);
    return stdout.split('\n').filter((line) => line !== '');
  }

  it('do not see each other’s images, and dispose() removes each directory', async () => {
    const before = await podmanTempDirectories();
    const first = await createPodman();
    const second = await createPodman();
    try {
      expect(first.directory).to.not.equal(second.directory);
      // Each has its directory and, apart from it, a short runroot.
      expect(await podmanTempDirectories()).to.have.length(before.length + 4);
      const id = await first.pull(`oci:${layout}:1.0`);
      expect(await imageIds(first)).to.deep.equal([`sha256:${id}`]);
      expect(await imageIds(second)).to.deep.equal([]);
      try {
        await second.imageDigest(id);
        expect.fail('the second podman must not know the first one’s image');
      } catch (error) {
        expect(String(error)).to.include('image not known');
      }

      await first.dispose();
      const left = await podmanTempDirectories();
      expect(left).to.not.include(first.directory.split('/').at(-1));
      expect(left).to.not.include(first.runRoot.split('/').at(-1));
      // The other one keeps working, still without the image.
      expect(await imageIds(second)).to.deep.equal([]);
      expect(`sha256:${await second.pull(`oci:${layout}:1.0`)}`).to.equal(written.configDigest);
    } finally {
      await first.dispose();
      await second.dispose();
      await first.dispose(); // a second dispose is harmless
    }
    expect(await podmanTempDirectories()).to.deep.equal(before);
  });

  it('use a given directory, refuse one that is not empty, and remove it on dispose', async () => {
    const directory = join(temporary.path, 'given', 'podman');
    const podman = await createPodman({ directory });
    try {
      expect(podman.directory).to.equal(directory);
      expect(podman.authFile).to.equal(join(directory, 'auth.json'));
      await podman.pull(`oci:${layout}:1.0`);
      try {
        await createPodman({ directory });
        expect.fail('a directory in use must be refused');
      } catch (error) {
        expect(String(error)).to.include('needs an empty directory').and.to.include('auth.json');
      }
    } finally {
      await podman.dispose();
    }
    expect(await readdir(join(temporary.path, 'given'))).to.deep.equal([]);
  });

  it('read their config from their own directory, whatever the environment says', async () => {
    // Each of these would change what podman does if it leaked through.
    const hostile: Record<string, string> = {
      CONTAINER_HOST: 'unix:///lading/no-such-podman.sock',
      CONTAINERS_CONF: '/lading/no-such-containers.conf',
      CONTAINERS_REGISTRIES_CONF: '/lading/no-such-registries.conf',
      STORAGE_DRIVER: 'overlay',
      REGISTRY_AUTH_FILE: '/lading/no-such-auth.json',
    };
    const saved = Object.keys(hostile).map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, hostile);
    let podman: Podman | undefined;
    try {
      podman = await createPodman();
      const { stdout } = await podman.run(['info', '--format', 'json']);
      const info = JSON.parse(stdout) as {
        host: { cgroupManager: string; eventLogger: string };
        store: { configFile: string; graphDriverName: string; graphRoot: string; runRoot: string };
      };
      expect(info.store.graphDriverName).to.equal('vfs');
      expect(info.store.graphRoot).to.equal(join(podman.directory, 'storage', 'root'));
      expect(info.store.runRoot).to.equal(podman.runRoot);
      expect(info.store.configFile).to.equal(join(podman.directory, 'storage.conf'));
      expect(info.host.cgroupManager).to.equal('cgroupfs');
      expect(info.host.eventLogger).to.equal('file');

      // Debian's /etc/containers/registries.conf.d/shortnames.conf maps "alpine" to docker.io;
      // the isolated podman must not read it, so the short name resolves nowhere.
      try {
        await podman.pull('alpine');
        expect.fail('a short name must not resolve');
      } catch (error) {
        const registriesConf = join(podman.directory, 'home/.config/containers/registries.conf');
        expect(String(error)).to.include(
          `short-name "alpine" did not resolve to an alias and no unqualified-search registries are defined in "${registriesConf}"`,
        );
      }
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
      await podman?.dispose();
    }
  });
});
