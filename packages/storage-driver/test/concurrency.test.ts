import { expect } from 'chai';
import { mapConcurrently, settleAll } from '../src/index.js';

describe('mapConcurrently', () => {
  it('keeps at most `limit` calls running, and returns results in input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapConcurrently([30, 10, 20, 5, 15], 2, async (delay, index) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, delay));
      running -= 1;
      return index * 10;
    });
    expect(results).to.deep.equal([0, 10, 20, 30, 40]);
    expect(peak).to.equal(2);
  });

  it('starts nothing after a failure, and rejects with it once the running calls settle', async () => {
    const started: number[] = [];
    let settledSecond = false;
    const outcome = await mapConcurrently([0, 1, 2, 3], 2, async (item) => {
      started.push(item);
      if (item === 0) throw new Error('first fails');
      await new Promise((resolve) => setTimeout(resolve, 20));
      settledSecond = true;
      return item;
    }).catch((error: unknown) => error);
    expect(String(outcome)).to.contain('first fails');
    expect(started).to.deep.equal([0, 1]);
    expect(settledSecond).to.equal(true);
  });

  it('does nothing for no items', async () => {
    expect(await mapConcurrently([], 4, () => Promise.resolve(1))).to.deep.equal([]);
  });
});

describe('settleAll', () => {
  it('waits for every step, then rejects with the first failure', async () => {
    let slowDone = false;
    const slow = new Promise<void>((resolve) =>
      setTimeout(() => {
        slowDone = true;
        resolve();
      }, 30),
    );
    let failure: unknown;
    await settleAll([
      Promise.reject(new Error('first')),
      slow,
      Promise.reject(new Error('second')),
    ]).catch((error: unknown) => (failure = error));
    expect(String(failure)).to.contain('first');
    // Unlike Promise.all, it did not give up while the slow step still ran.
    expect(slowDone).to.equal(true);
    await settleAll([Promise.resolve(1), slow]);
  });
});
