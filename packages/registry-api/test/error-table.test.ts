import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { errorCodes } from '../src/index.js';

describe('docs/errors.md', () => {
  it('lists every error code with the status the API sends', async () => {
    const page = await readFile(
      fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)),
      'utf8',
    );
    const rows = [...page.matchAll(/^\| `([A-Z_]+)` +\| (\d{3}) +\|/gm)].map(
      ([, code = '', status = '']) => [code, Number(status)],
    );
    expect(rows).to.deep.equal(
      Object.entries(errorCodes).map(([code, { status }]) => [code, status]),
    );
  });
});
