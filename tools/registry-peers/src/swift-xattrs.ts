import { CommandFailedError, runCommand } from './run-command.js';
import { debianPython } from './swift-launcher.js';

/** The probe's exit code for "no user xattrs"; any other failure is something else. */
const unsupportedExitCode = 3;

// Node has no xattr API; Python, which Swift needs anyway, does. Writes, reads back and
// removes a user xattr on a new file in the directory, as Swift's object server does on
// every object (its metadata lives in user.swift.metadata).
const probe = `\
import os, sys
path = os.path.join(sys.argv[1], '.xattr-probe')
open(path, 'wb').close()
try:
    os.setxattr(path, 'user.lading.probe', b'1')
    works = os.getxattr(path, 'user.lading.probe') == b'1'
    if not works:
        print('read back another value', file=sys.stderr)
except OSError as error:
    print(error, file=sys.stderr)
    works = False
finally:
    os.unlink(path)
sys.exit(0 if works else ${String(unsupportedExitCode)})
`;

/** Thrown when Swift's object server could not keep its metadata where its devices are. */
export class UserXattrsUnsupportedError extends Error {
  constructor(
    readonly directory: string,
    detail: string,
  ) {
    super(
      `Swift's object server needs user extended attributes (user.* xattrs), and the ` +
        `filesystem of ${directory} has none (${detail}). Point TMPDIR at a directory on ` +
        `ext4, xfs or btrfs (tmpfs has them from Linux 6.6 on).`,
    );
    this.name = 'UserXattrsUnsupportedError';
  }
}

/** Resolves if user xattrs work in `directory`, else rejects with UserXattrsUnsupportedError. */
export async function checkUserXattrs(directory: string): Promise<void> {
  try {
    await runCommand(debianPython, ['-I', '-c', probe, directory]);
  } catch (error) {
    if (!(error instanceof CommandFailedError) || error.exitCode !== unsupportedExitCode) {
      throw error;
    }
    throw new UserXattrsUnsupportedError(directory, error.stderr.trim());
  }
}
