import { join } from 'node:path';
import { expect } from 'chai';
import { CommandFailedError, copyImage, skopeo } from '../src/index.js';
import { runCommand } from '../src/run-command.js';
import { temporaryDirectory } from './helpers.js';

describe('skopeo', function () {
  this.timeout(60_000);

  it('runs the installed skopeo 1.9', async () => {
    const { stdout } = await skopeo(['--version']);
    expect(stdout).to.match(/^skopeo version 1\.9\./);
  });

  it('rejects with the command line and stderr when skopeo fails', async () => {
    const temporary = await temporaryDirectory();
    try {
      const missing = join(temporary.path, 'no-layout');
      await copyImage(`oci:${missing}:x`, `oci:${join(temporary.path, 'out')}:x`);
      expect.fail('copying from a missing layout must fail');
    } catch (error) {
      expect(error).to.be.instanceOf(CommandFailedError);
      const failure = error as CommandFailedError;
      expect(failure.exitCode).to.equal(1);
      expect(failure.message).to.include(
        'skopeo --insecure-policy copy --preserve-digests --src-tls-verify=false',
      );
      expect(failure.message).to.include('exited with code 1');
      expect(failure.stderr).to.include('index.json: no such file or directory');
      expect(failure.message).to.include(failure.stderr.trimEnd());
    } finally {
      await temporary.remove();
    }
  });

  it('rejects with the spawn error for a command that does not exist', async () => {
    try {
      await runCommand('lading-no-such-command', ['--flag', 'with space']);
      expect.fail('must throw');
    } catch (error) {
      expect(String(error)).to.include("lading-no-such-command --flag 'with space'");
      expect(String(error)).to.include('ENOENT');
    }
  });
});
