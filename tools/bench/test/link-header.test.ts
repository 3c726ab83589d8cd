import { expect } from 'chai';
import { nextLink } from '../src/link-header.js';

const base = 'http://127.0.0.1:5000';

describe('nextLink', () => {
  it("resolves distribution's relative next link against the registry", () => {
    expect(nextLink('</v2/_catalog?last=bench%2Fr-0099&n=100>; rel="next"', base)).to.equal(
      'http://127.0.0.1:5000/v2/_catalog?last=bench%2Fr-0099&n=100',
    );
  });

  it('keeps an absolute target', () => {
    expect(nextLink('<http://other:1/v2/a/tags/list?n=2&last=b>; rel=next', base)).to.equal(
      'http://other:1/v2/a/tags/list?n=2&last=b',
    );
  });

  it('finds next among several links and relation types', () => {
    const header =
      '</v2/_catalog?n=1>; rel="prev", </v2/_catalog?last=a,b&n=1>; title="x"; rel="last next"';
    expect(nextLink(header, base)).to.equal('http://127.0.0.1:5000/v2/_catalog?last=a,b&n=1');
  });

  it('is case-insensitive and tolerates spaces', () => {
    expect(nextLink('</v2/x?n=1> ;  REL = "Next"', base)).to.equal(
      'http://127.0.0.1:5000/v2/x?n=1',
    );
  });

  it('answers undefined without a next link', () => {
    expect(nextLink(undefined, base)).to.equal(undefined);
    expect(nextLink('', base)).to.equal(undefined);
    expect(nextLink('</v2/_catalog?n=1>; rel="prev"', base)).to.equal(undefined);
  });

  it('accepts the header as node:http gives a repeated one', () => {
    expect(nextLink(['</a>; rel="prev"', '</b>; rel="next"'], base)).to.equal(
      'http://127.0.0.1:5000/b',
    );
  });
});
