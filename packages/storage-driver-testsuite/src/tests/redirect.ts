import { expect } from 'chai';
import { patternBytes } from '../content.js';
import type { SuiteContext } from '../context.js';

export function describeRedirectTests(context: SuiteContext): void {
  describe('redirectURL', () => {
    it('returns no URL, or one that serves the content to GET and HEAD', async () => {
      const { driver, options } = context;
      const path = context.path('blob');
      const content = patternBytes('redirect', 0, 70_000);
      await driver.putContent(path, content);
      const getURL = await driver.redirectURL('GET', path);
      const headURL = await driver.redirectURL('HEAD', path);
      if (options.expectRedirects) {
        expect(getURL, 'a redirect URL for GET').to.be.a('string');
        expect(headURL, 'a redirect URL for HEAD').to.be.a('string');
      }
      if (getURL !== undefined) {
        const response = await fetch(getURL);
        expect(response.status, getURL).to.equal(200);
        expect(Buffer.from(await response.arrayBuffer()).equals(content)).to.equal(true);
      }
      if (headURL !== undefined) {
        const response = await fetch(headURL, { method: 'HEAD' });
        expect(response.status, headURL).to.equal(200);
        expect(response.headers.get('content-length')).to.equal(String(content.length));
      }
    });
  });
}
