import { expect } from 'chai';
import { defaultSettings, maxTokenLifetimeSeconds } from '../src/index.js';
import { describeEachDialectStored, expectInvalid } from './support/stored.js';

describeEachDialectStored('site settings', ({ model, db }) => {
  it('starts from the defaults', async () => {
    expect(await model().settings.get()).to.deep.equal({
      registryEnabled: true,
      containerRegistryDefault: true,
      tokenLifetimeSeconds: 300,
      allowUnnamablePaths: false,
    });
    expect(defaultSettings.tokenLifetimeSeconds).to.equal(300);
    expect(maxTokenLifetimeSeconds).to.equal(86_400);
  });

  it('changes some settings, keeps the others, and keeps them stored', async () => {
    const updated = await model().settings.update({
      registryEnabled: false,
      tokenLifetimeSeconds: 900,
    });
    expect(updated).to.deep.equal({
      ...defaultSettings,
      registryEnabled: false,
      tokenLifetimeSeconds: 900,
    });
    const again = await model().settings.update({ allowUnnamablePaths: true });
    expect(again).to.deep.equal({ ...updated, allowUnnamablePaths: true });
    expect(await model().settings.get()).to.deep.equal(again);
    // Written twice, stored once.
    await model().settings.update({ tokenLifetimeSeconds: 600 });
    const rows = await db().selectFrom('settings').selectAll().orderBy('name').execute();
    expect(rows).to.deep.equal([
      { name: 'allowUnnamablePaths', value: 'true' },
      { name: 'registryEnabled', value: 'false' },
      { name: 'tokenLifetimeSeconds', value: '600' },
    ]);
    expect(await model().settings.update({})).to.deep.equal({
      ...again,
      tokenLifetimeSeconds: 600,
    });
  });

  it('refuses an unknown setting, naming it and the known ones', async () => {
    const error = await expectInvalid(
      model().settings.update({ colour: 'blue' }),
      'colour',
      'is not a setting',
    );
    for (const name of Object.keys(defaultSettings)) expect(error.message).to.include(name);
  });

  for (const name of ['registryEnabled', 'containerRegistryDefault', 'allowUnnamablePaths']) {
    it(`refuses anything but true or false for ${name}`, async () => {
      for (const value of ['true', 1, 0, null, undefined, {}]) {
        await expectInvalid(model().settings.update({ [name]: value }), name, 'true or false');
      }
    });
  }

  it('keeps the token lifetime within 60 s .. a day, in whole seconds', async () => {
    for (const value of [
      59,
      0,
      -300,
      maxTokenLifetimeSeconds + 1,
      300.5,
      Number.NaN,
      '300',
      null,
    ]) {
      await expectInvalid(
        model().settings.update({ tokenLifetimeSeconds: value }),
        'tokenLifetimeSeconds',
        `from 60 to ${maxTokenLifetimeSeconds}`,
      );
    }
    expect(
      (await model().settings.update({ tokenLifetimeSeconds: 60 })).tokenLifetimeSeconds,
    ).to.equal(60);
    expect(
      (await model().settings.update({ tokenLifetimeSeconds: maxTokenLifetimeSeconds }))
        .tokenLifetimeSeconds,
    ).to.equal(86_400);
  });

  it('changes nothing when one change of several is refused', async () => {
    await expectInvalid(
      model().settings.update({ registryEnabled: false, tokenLifetimeSeconds: 5 }),
      'tokenLifetimeSeconds',
    );
    expect(await model().settings.get()).to.deep.equal(defaultSettings);
    expect(await db().selectFrom('settings').selectAll().execute()).to.deep.equal([]);
  });

  it('falls back to the default for a stored value that is no longer valid', async () => {
    // As a newer version, a hand, or a broken write might have left them.
    await db()
      .insertInto('settings')
      .values([
        { name: 'tokenLifetimeSeconds', value: '5' },
        { name: 'registryEnabled', value: '"no"' },
        { name: 'containerRegistryDefault', value: 'false' },
        { name: 'allowUnnamablePaths', value: '{not json' },
        { name: 'colour', value: '"blue"' },
      ])
      .execute();
    expect(await model().settings.get()).to.deep.equal({
      ...defaultSettings,
      containerRegistryDefault: false,
    });
    // And a valid write replaces the invalid value.
    const updated = await model().settings.update({
      tokenLifetimeSeconds: 120,
      allowUnnamablePaths: true,
    });
    expect(updated).to.deep.equal({
      ...defaultSettings,
      containerRegistryDefault: false,
      tokenLifetimeSeconds: 120,
      allowUnnamablePaths: true,
    });
  });
});
