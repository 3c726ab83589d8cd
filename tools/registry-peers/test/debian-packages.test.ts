import { expect } from 'chai';
import {
  aptInstallCommand,
  ensureDebianPackages,
  ensureDebianRequirements,
  MissingDebianPackagesError,
  type DebianPackageOptions,
} from '../src/index.js';

interface AptCall {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** A machine where `installed` commands exist and apt-get "installs" `provides` after a delay. */
function fakeMachine(installed: string[], provides: string[] = []) {
  const present = new Set(installed);
  const calls: AptCall[] = [];
  const logs: string[] = [];
  let running = 0;
  let overlapped = false;
  const options: DebianPackageOptions = {
    isRoot: () => true,
    commandExists: (command) => Promise.resolve(present.has(command)),
    run: async (command, args, env) => {
      running += 1;
      overlapped ||= running > 1;
      calls.push({ command, args, env });
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (args[0] === 'install') for (const command of provides) present.add(command);
      running -= 1;
    },
    log: (line) => logs.push(line),
  };
  return { options, calls, logs, overlapped: () => overlapped };
}

describe('ensureDebianPackages', () => {
  it('does nothing, quickly, when the command is already on PATH', async () => {
    const started = performance.now();
    // The real checks: `sh` is on every Debian machine; nothing may be run or logged.
    await ensureDebianPackages(
      { sh: 'dash' },
      {
        isRoot: () => false,
        run: () => Promise.reject(new Error('must not run apt-get')),
        log: (line) => expect.fail(`must not log: ${line}`),
      },
    );
    expect(performance.now() - started).to.be.below(50);
  });

  it('tells a non-root user exactly what to run', async () => {
    try {
      await ensureDebianPackages(
        { 'lading-no-such-command': 'lading-no-such-package', sh: 'dash' },
        { isRoot: () => false },
      );
      expect.fail('a missing command must throw when not root');
    } catch (error) {
      expect(error).to.be.instanceOf(MissingDebianPackagesError);
      const message = (error as Error).message;
      expect(message).to.include('lading-no-such-command (Debian package lading-no-such-package)');
      expect(message).to.include(
        "sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y lading-no-such-package'",
      );
      expect(message).to.not.include('dash');
    }
  });

  it('as root, installs all missing packages with one update and one install', async () => {
    const machine = fakeMachine(['skopeo'], ['docker-registry', 'tool']);
    await ensureDebianPackages(
      { 'docker-registry': 'docker-registry', skopeo: 'skopeo', tool: 'tool-package' },
      machine.options,
    );
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    expect(machine.calls).to.deep.equal([
      { command: 'apt-get', args: ['update'], env },
      { command: 'apt-get', args: ['install', '-y', 'docker-registry', 'tool-package'], env },
    ]);
    expect(machine.logs.join('\n')).to.include(
      'installing Debian packages: docker-registry tool-package',
    );
  });

  it('fails when the package did not bring the command', async () => {
    const machine = fakeMachine([], []);
    try {
      await ensureDebianPackages({ 'lading-tool': 'lading-package' }, machine.options);
      expect.fail('must throw');
    } catch (error) {
      expect(String(error)).to.include('still not on PATH: lading-tool');
    }
  });

  it('runs concurrent calls one after another, so apt-get runs once', async () => {
    const machine = fakeMachine([], ['skopeo']);
    await Promise.all([
      ensureDebianPackages({ skopeo: 'skopeo' }, machine.options),
      ensureDebianPackages({ skopeo: 'skopeo' }, machine.options),
      ensureDebianPackages({ skopeo: 'skopeo' }, machine.options),
    ]);
    expect(machine.calls.map((call) => call.args[0])).to.deep.equal(['update', 'install']);
    expect(machine.overlapped()).to.equal(false);
  });

  it('keeps serving later calls after one failed', async () => {
    const failing = fakeMachine([]);
    const rejected = ensureDebianPackages({ a: 'a' }, { ...failing.options, isRoot: () => false });
    const later = ensureDebianPackages({ sh: 'dash' });
    const failure: unknown = await rejected.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(MissingDebianPackagesError);
    await later;
  });

  it('spells the install command the way the error message uses it', () => {
    expect(aptInstallCommand(['a', 'b'])).to.equal(
      'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y a b',
    );
  });
});

describe('ensureDebianRequirements', () => {
  /** A requirement that is there once `installed` holds it, and counts how often it was asked. */
  function requirement(installed: Set<string>, debianPackage: string) {
    let asked = 0;
    return {
      description: `${debianPackage} server (/usr/lib/${debianPackage}/<major>/bin)`,
      debianPackage,
      isPresent: () => {
        asked += 1;
        return Promise.resolve(installed.has(debianPackage));
      },
      asked: () => asked,
    };
  }

  /** fakeMachine's options, where "installing" a package adds it to `installed`. */
  function installing(installed: Set<string>, machine = fakeMachine([])) {
    const run = machine.options.run!;
    const options: DebianPackageOptions = {
      ...machine.options,
      run: async (command, args, env) => {
        await run(command, args, env);
        if (args[0] === 'install') for (const name of args.slice(2)) installed.add(name);
      },
    };
    return { ...machine, options };
  }

  it('asks the predicate, not PATH, and does nothing when it holds', async () => {
    const present = requirement(new Set(['postgresql']), 'postgresql');
    await ensureDebianRequirements([present], {
      isRoot: () => false,
      run: () => Promise.reject(new Error('must not run apt-get')),
      log: (line) => expect.fail(`must not log: ${line}`),
    });
    expect(present.asked()).to.equal(1);
  });

  it('as root, installs what is missing and checks the predicate again', async () => {
    const installed = new Set<string>();
    const machine = installing(installed);
    const postgres = requirement(installed, 'postgresql');
    await ensureDebianRequirements(
      [postgres, requirement(installed, 'postgresql')],
      machine.options,
    );
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    expect(machine.calls).to.deep.equal([
      { command: 'apt-get', args: ['update'], env },
      { command: 'apt-get', args: ['install', '-y', 'postgresql'], env },
    ]);
    expect(postgres.asked()).to.equal(2);
  });

  it('tells a non-root user what is missing without claiming it is a command', async () => {
    try {
      await ensureDebianRequirements([requirement(new Set(), 'postgresql')], {
        isRoot: () => false,
      });
      expect.fail('must throw');
    } catch (error) {
      expect(error).to.be.instanceOf(MissingDebianPackagesError);
      const { message, missing } = error as MissingDebianPackagesError;
      expect(message).to.match(
        /^Not installed: postgresql server \(\/usr\/lib\/postgresql\/<major>\/bin\) \(Debian package postgresql\)\. Only root/,
      );
      expect(message).to.not.include('PATH');
      expect(message).to.include(
        "sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql'",
      );
      expect(missing).to.deep.equal({
        'postgresql server (/usr/lib/postgresql/<major>/bin)': 'postgresql',
      });
    }
  });

  it('names commands and other requirements apart in one message', () => {
    const error = new MissingDebianPackagesError(
      { psql: 'postgresql-client', 'a server': 'postgresql' },
      'sudo …',
      ['psql'],
    );
    expect(error.message).to.equal(
      'Not on PATH: psql (Debian package postgresql-client). ' +
        'Not installed: a server (Debian package postgresql). ' +
        'Only root can install them; run as root:\n  sudo …',
    );
  });

  it('fails when the package did not bring it', async () => {
    const machine = fakeMachine([]);
    try {
      await ensureDebianRequirements([requirement(new Set(), 'postgresql')], machine.options);
      expect.fail('must throw');
    } catch (error) {
      expect(String(error)).to.include(
        'apt-get install -y postgresql succeeded, but these are still not installed: ' +
          'postgresql server (/usr/lib/postgresql/<major>/bin)',
      );
    }
  });

  it('queues with ensureDebianPackages, so apt-get never runs twice at once', async () => {
    const installed = new Set<string>();
    const machine = installing(installed, fakeMachine([], ['skopeo']));
    await Promise.all([
      ensureDebianPackages({ skopeo: 'skopeo' }, machine.options),
      ensureDebianRequirements([requirement(installed, 'postgresql')], machine.options),
      ensureDebianRequirements([requirement(installed, 'postgresql')], machine.options),
    ]);
    expect(machine.calls.map((call) => call.args.join(' '))).to.deep.equal([
      'update',
      'install -y skopeo',
      'update',
      'install -y postgresql',
    ]);
    expect(machine.overlapped()).to.equal(false);
  });
});
