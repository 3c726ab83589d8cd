import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '@lading/config';
import type { RegistryEngine, RegistryEventRecorder } from '@lading/registry-engine';
import { expect } from 'chai';
import { createLogger } from '../src/logging.js';
import { startNotifications } from '../src/notifications.js';

describe('the notification recorder', () => {
  it('logs an event it cannot spool as lost, at error, and lets the operation stand', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lading-recorder-'));
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      { level: 'info', fields: {} },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    const { config } = parseConfig(
      `version: 0.1
storage:
  inmemory: {}
notifications:
  endpoints:
    - name: hook
      url: http://127.0.0.1:9/events
lading:
  notifications:
    spooldirectory: ${directory}
`,
      { env: {} },
    );
    let recorder: RegistryEventRecorder | undefined;
    const engine = {
      onEventRecorded(given: RegistryEventRecorder) {
        recorder = given;
        return () => undefined;
      },
    } as unknown as RegistryEngine;
    try {
      const notifier = await startNotifications(config, engine, logger);
      expect(notifier).to.not.equal(undefined);
      // A closed notifier refuses, as a spool on a failed disk would.
      await notifier?.close();
      await recorder?.({
        id: 'e-1',
        timestamp: new Date(),
        action: 'push',
        target: { kind: 'blob', repository: 'a/b', digest: 'sha256:00', size: 1 },
      });
      const lost = lines.find((line) => String(line.msg).includes('is lost'));
      expect(lost?.level).to.equal('error');
      expect(lost?.event).to.deep.include({ id: 'e-1', action: 'push' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
