import { expect } from 'chai';
import { listenOptions, listeningUrl } from '../src/listen-address.js';

describe('http.addr and http.net', () => {
  it('reads :port as every interface, as Go does, without binding one here', () => {
    expect(listenOptions(':5000', 'tcp')).to.deep.equal({ port: 5000 });
  });

  it('reads host:port and [v6]:port', () => {
    expect(listenOptions('127.0.0.1:0', 'tcp')).to.deep.equal({ port: 0, host: '127.0.0.1' });
    expect(listenOptions('[::1]:5000', 'tcp')).to.deep.equal({ port: 5000, host: '::1' });
  });

  it('takes the whole addr as a socket path with net: unix', () => {
    expect(listenOptions('/run/lading.sock', 'unix')).to.deep.equal({ path: '/run/lading.sock' });
  });

  it('refuses an addr without a usable port, naming it', () => {
    for (const addr of ['registry.example.com', '127.0.0.1:http', '127.0.0.1:70000']) {
      expect(() => listenOptions(addr, 'tcp')).to.throw(`http.addr "${addr}"`);
    }
  });

  it('shows all-interface listeners as localhost and brackets IPv6 hosts', () => {
    expect(listeningUrl({ address: '::', port: 5000 }, 'http')).to.equal('http://localhost:5000');
    expect(listeningUrl({ address: '0.0.0.0', port: 1 }, 'https')).to.equal('https://localhost:1');
    expect(listeningUrl({ address: '::1', port: 2 }, 'http')).to.equal('http://[::1]:2');
    expect(listeningUrl({ address: '127.0.0.1', port: 3 }, 'http')).to.equal('http://127.0.0.1:3');
  });
});
