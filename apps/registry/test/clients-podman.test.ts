import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createPodman,
  ensureDebianPackages,
  writeOciLayout,
  type Podman,
  type WrittenImage,
} from '@lading/registry-peers';
import { expect } from 'chai';
import { startLading, type LadingProcess } from './support/lading-process.js';

const run = promisify(execFile);

/**
 * podman pushing to and pulling from the running server, logged in with the
 * htpasswd setup docs/administration.md describes.
 */
describe('podman against the running server', function () {
  this.timeout(120_000);
  let lading: LadingProcess;
  let work: string;
  let image: WrittenImage;
  const podmen: Podman[] = [];

  before(async () => {
    await ensureDebianPackages({ htpasswd: 'apache2-utils' });
    work = await mkdtemp(join(tmpdir(), 'lading-podman-'));
    // As the guide says: htpasswd -Bbc FILE USER PASSWORD.
    await run('htpasswd', ['-Bbc', join(work, 'htpasswd'), 'alice', 'a long password']);
    lading = await startLading({
      config: `version: 0.1
storage:
  filesystem:
    rootdirectory: {dir}/data
http:
  addr: 127.0.0.1:0
auth:
  htpasswd:
    realm: Registry
    path: ${join(work, 'htpasswd')}
`,
    });
    image = await writeOciLayout(join(work, 'layout'), {
      tag: '1.0',
      layers: [
        { files: { 'srv/index.html': '<h1>hello</h1>\n' } },
        { files: { 'srv/data.bin': Buffer.alloc(512 * 1024, 3) } },
      ],
    });
  });

  after(async () => {
    for (const podman of podmen) await podman.dispose();
    await lading.stop();
    await rm(work, { recursive: true, force: true });
  });

  async function newPodman(): Promise<Podman> {
    const podman = await createPodman();
    podmen.push(podman);
    return podman;
  }

  it('is refused without logging in, and with a wrong password', async () => {
    const podman = await newPodman();
    const anonymous = await podman.pull(`${lading.host}/library/web:1.0`).then(
      () => 'pulled',
      (error: unknown) => String(error),
    );
    expect(anonymous).to.contain('authentication required');
    const wrong = await podman.login(lading.host, 'alice', 'not the password').then(
      () => 'logged in',
      (error: unknown) => String(error),
    );
    expect(wrong).to.match(/invalid username\/password|unauthorized/);
  });

  it('pushes an image as alice and pulls it back in another podman, byte for byte', async () => {
    const pusher = await newPodman();
    await pusher.login(lading.host, 'alice', 'a long password');
    const id = await pusher.pull(`oci:${join(work, 'layout')}:1.0`);
    await pusher.tag(id, `${lading.host}/library/web:1.0`);
    const pushed = await pusher.push(
      `${lading.host}/library/web:1.0`,
      `${lading.host}/library/web:1.0`,
    );
    const stored = JSON.parse(await inspectRawAs(lading, 'library/web:1.0')) as {
      layers: { digest: string }[];
      config: { digest: string };
    };
    expect(stored.config.digest).to.equal(image.configDigest);
    expect(stored.layers).to.have.length(2);

    const puller = await newPodman();
    await puller.login(lading.host, 'alice', 'a long password');
    const pulledId = await puller.pull(`${lading.host}/library/web:1.0`);
    expect(pulledId, 'the same image (config) arrives').to.equal(id);
    expect(await puller.imageDigest(`${lading.host}/library/web:1.0`)).to.equal(pushed);
  });

  /** skopeo inspect --raw with alice's credentials. */
  async function inspectRawAs(server: LadingProcess, reference: string): Promise<string> {
    const { stdout } = await run('skopeo', [
      '--insecure-policy',
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      'alice:a long password',
      `docker://${server.host}/${reference}`,
    ]);
    return stdout;
  }
});
