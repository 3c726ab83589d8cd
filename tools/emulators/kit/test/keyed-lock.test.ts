import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedLock } from '../src/index.js';

describe('KeyedLock', () => {
  it('runs the work of one key one at a time, in order, and other keys alongside', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const work = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await sleep(ms);
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      lock.run('a', work('a1', 20)),
      lock.run('a', work('a2', 1)),
      lock.run('b', work('b1', 1)),
    ]);
    expect(results).to.deep.equal(['a1', 'a2', 'b1']);
    expect(events.indexOf('a2 start')).to.be.above(events.indexOf('a1 end'));
    expect(events.indexOf('b1 end')).to.be.below(events.indexOf('a1 end'));
    expect(lock.size, 'no key left behind').to.equal(0);
  });

  it('goes on with the next work after a failure, which only its caller sees', async () => {
    const lock = new KeyedLock();
    const failed = lock.run('k', () => Promise.reject(new Error('disk full')));
    const next = lock.run('k', () => Promise.resolve('next'));
    expect(await failed.catch((error: unknown) => (error as Error).message)).to.equal('disk full');
    expect(await next).to.equal('next');
    expect(lock.size).to.equal(0);
  });
});
