/**
 * Debian's Python, with the swift modules. Not `python3` from PATH: a pyenv or venv python
 * found first has no swift, and -I keeps PYTHONPATH and the user's site-packages out.
 */
export const debianPython = '/usr/bin/python3';

/** The Swift server types swiftLauncher runs, each the app section of its config file. */
export type SwiftServerType =
  'account-server' | 'container-server' | 'object-server' | 'proxy-server';

/**
 * Runs one Swift server as /usr/bin/swift-<type> does (`run_wsgi(CONF, TYPE)`), with two
 * changes. argv: SWIFT_DIR TYPE CONF.
 *
 * 1. swift.conf comes from SWIFT_DIR. Swift 2.30 reads /etc/swift/swift.conf (hash path
 *    prefix and suffix, storage policies, constraints) whatever the server config says:
 *    `swift_dir` there only locates the rings, and no environment variable moves it
 *    (SWIFT_CONF_FILE is a module constant). `set_swift_dir` is the hook swift-recon uses.
 *    It must run before swift.common.storage_policy and swift.common.constraints are first
 *    imported, since both read the file at import time and other modules copy their values.
 * 2. No syslog. get_logger adds a syslog handler to every logger: /dev/log if that is a socket,
 *    which would put our lines into the machine's syslog, else UDP to localhost:514, into the
 *    void. It is replaced by nothing; `verbose` adds the console handler, to stderr, which
 *    capture_stdio keeps open when the server is ready (it points the other stdio at /dev/null).
 *
 * With `workers = 0` run_wsgi serves in this very process: no fork, and no drop_privileges
 * (the `user` setting is not used), so the pid we hold is the server's and the parent-death
 * signal set by setpriv stays in force. run_wsgi does call setsid(), which leaves both intact.
 */
export const swiftLauncherScript = `\
import logging
import sys

swift_dir, server_type, conf_file = sys.argv[1:]

for module in ('swift.common.storage_policy', 'swift.common.constraints'):
    if module in sys.modules:
        sys.exit('lading: %s was imported before set_swift_dir; it read /etc/swift' % module)

from swift.common import utils

utils.set_swift_dir(swift_dir)


class NoSyslog(logging.NullHandler):
    def __init__(self, *args, **kwargs):
        super().__init__()


utils.ThreadSafeSysLogHandler = NoSyslog

from swift.common.wsgi import run_wsgi

options = {'verbose': True}
if server_type == 'object-server':
    from swift.obj import server

    options['global_conf_callback'] = server.global_conf_callback

print('lading: %s reads %s' % (server_type, utils.SWIFT_CONF_FILE), file=sys.stderr, flush=True)
sys.exit(run_wsgi(conf_file, server_type, **options))
`;

/** The command line that runs `launcher` (swiftLauncherScript saved to a file) for one server. */
export function swiftServerCommand(
  launcher: string,
  swiftDirectory: string,
  type: SwiftServerType,
  configFile: string,
): [string, string[]] {
  return [debianPython, ['-I', launcher, swiftDirectory, type, configFile]];
}
