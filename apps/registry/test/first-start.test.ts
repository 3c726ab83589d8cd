import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { openProjectsModel, type ProjectsModel } from '@lading/projects';
import { ensureInitialAdmin, ensureSigningKey } from '../src/first-start.js';

/** The first administrator of the embedded default, on a real SQLite model. */
describe('ensureInitialAdmin', () => {
  let directory: string;
  let model: ProjectsModel;
  let passwordFile: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-first-start-'));
    passwordFile = join(directory, 'initial-admin-password');
    model = await openProjectsModel({
      database: { dialect: 'sqlite', path: join(directory, 'lading.db') },
      bcryptCost: 4,
    });
  });
  afterEach(async () => {
    await model.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('creates an administrator whose password is in an owner-only file, once', async () => {
    const admin = await ensureInitialAdmin(model, 'admin', passwordFile);
    expect(admin).to.include({ username: 'admin', passwordFile });
    expect(await readFile(passwordFile, 'utf8')).to.equal(`${String(admin?.password)}\n`);
    expect((await stat(passwordFile)).mode & 0o777).to.equal(0o600);
    const user = await model.users.get('admin');
    expect(user).to.include({ admin: true, email: 'admin@localhost' });
    expect(await model.users.authenticate('admin', String(admin?.password))).to.include({
      username: 'admin',
    });

    expect(await ensureInitialAdmin(model, 'admin', passwordFile)).to.equal(undefined);
    expect(await readFile(passwordFile, 'utf8')).to.equal(`${String(admin?.password)}\n`);
  });

  it('removes the password file when the account cannot be created, and says why', async () => {
    // A user name the model refuses: the password would name no account.
    const failure = await ensureInitialAdmin(model, 'no spaces allowed', passwordFile).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(Error);
    expect(String(failure)).to.contain('username');
    expect(await model.users.list()).to.deep.equal([]);
    const gone = await access(passwordFile).then(
      () => 'still there',
      (error: unknown) => (error as NodeJS.ErrnoException).code,
    );
    expect(gone).to.equal('ENOENT');
  });

  it('never overwrites a password file it finds, says what to do, and creates nobody then', async () => {
    await writeFile(passwordFile, 'an older password\n');
    const failure = await ensureInitialAdmin(model, 'admin', passwordFile).then(
      () => undefined,
      (error: unknown) => error as Error & { cause?: NodeJS.ErrnoException },
    );
    expect(failure?.message).to.contain('move it away');
    expect(failure?.cause?.code).to.equal('EEXIST');
    expect(await readFile(passwordFile, 'utf8')).to.equal('an older password\n');
    expect(await model.users.list()).to.deep.equal([]);
  });
});

describe('ensureSigningKey', () => {
  it('makes token.key and token.pem once, and keeps a key it finds', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lading-first-key-'));
    try {
      expect(await ensureSigningKey(directory)).to.equal(true);
      const key = await readFile(join(directory, 'token.key'), 'utf8');
      expect(key).to.contain('PRIVATE KEY');
      expect(await readFile(join(directory, 'token.pem'), 'utf8')).to.contain('CERTIFICATE');
      expect(await ensureSigningKey(directory)).to.equal(false);
      expect(await readFile(join(directory, 'token.key'), 'utf8')).to.equal(key);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
