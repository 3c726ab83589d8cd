import { digestOf } from '@lading/oci';
import { expect } from 'chai';
import type { RegistryEvent } from '../src/index.js';
import { describeOnDrivers, pushImage, readAll } from './support.js';

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describeOnDrivers('events', (harness) => {
  it("report pushes, pulls, mounts and deletes with the caller's context", async () => {
    const { engine } = harness();
    const events: RegistryEvent[] = [];
    engine.onEvent((event) => {
      events.push(event);
    });
    const context = { requestId: 'r-1', actor: 'alice', method: 'PUT', userAgent: 'skopeo' };
    const repository = engine.repository('team/app');
    const layer = Buffer.from('layer');
    await repository.uploads.upload(layer, { context });
    const image = await pushImage(repository, { tag: 'v1', layers: ['layer'] });
    await readAll((await repository.blobs.open(digestOf(layer), { context })).stream);
    await repository.manifests.get('v1', context);
    await engine.repository('team/other').blobs.mount(digestOf(layer), 'team/app', context);
    await repository.manifests.delete('v1', context);
    await repository.manifests.delete(image.digest, context);
    await repository.blobs.delete(digestOf(layer), context);
    await settle();
    const summary = events.map(
      (event) => `${event.action} ${event.target.kind} ${event.target.repository}`,
    );
    expect(summary).to.include.members([
      'push blob team/app',
      'push manifest team/app',
      'pull blob team/app',
      'pull manifest team/app',
      'mount blob team/other',
      'delete tag team/app',
      'delete manifest team/app',
      'delete blob team/app',
    ]);
    expect(events[0]?.context).to.deep.equal(context);
    const push = events.find(
      (event) => event.action === 'push' && event.target.kind === 'manifest',
    );
    expect(push?.target).to.deep.include({
      digest: image.digest,
      tag: 'v1',
      size: image.manifest.length,
    });
    expect(push?.target.references).to.include.members([image.config, ...image.layers]);
    expect(events.find((event) => event.action === 'mount')?.target.fromRepository).to.equal(
      'team/app',
    );
    expect(new Set(events.map((event) => event.id)).size).to.equal(events.length);
    expect(events.every((event) => event.timestamp instanceof Date)).to.equal(true);
  });

  it('are delivered after the operation, and a failing listener harms nothing', async () => {
    const { engine } = harness();
    const seen: string[] = [];
    engine.onEvent(() => {
      throw new Error('listener bug');
    });
    engine.onEvent(() => Promise.reject(new Error('async listener bug')));
    const unsubscribe = engine.onEvent((event) => {
      seen.push(event.action);
    });
    await engine.repository('team/app').uploads.upload(Buffer.from('x'));
    expect(seen, 'not called during the operation').to.deep.equal([]);
    await settle();
    expect(seen).to.deep.equal(['push']);
    unsubscribe();
    await engine.repository('team/app').uploads.upload(Buffer.from('y'));
    await settle();
    expect(seen).to.deep.equal(['push']);
  });

  it('are recorded before the operation returns, and a failing recorder fails nothing', async () => {
    const { engine } = harness();
    const recorded: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stop = engine.onEventRecorded(async (event) => {
      await held;
      recorded.push(`${event.action} ${event.target.kind}`);
    });
    engine.onEventRecorded(() => Promise.reject(new Error('spool full')));
    let finished = false;
    const upload = engine
      .repository('team/app')
      .uploads.upload(Buffer.from('x'))
      .then(() => {
        finished = true;
      });
    await settle();
    await settle();
    expect(finished, 'the upload waits for its record').to.equal(false);
    release();
    await upload;
    expect(recorded).to.deep.equal(['push blob']);
    const image = await pushImage(engine.repository('team/app'), { tag: 'v1', layers: ['l'] });
    expect(recorded).to.include('push manifest');
    stop();
    await engine.repository('team/app').manifests.get(image.digest);
    expect(recorded.filter((entry) => entry.startsWith('pull'))).to.deep.equal([]);
  });
});
