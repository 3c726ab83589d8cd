// A plain node:http server for the loopback limits, run in its own process so that it does
// not share the client's core: PUT discards the body, GET sends SEED's SIZE bytes from memory.
// Prints its port on stdout, then serves until killed.
import { createServer } from 'node:http';
import { payload } from './payload.js';

const [seed = '', size = '0'] = process.argv.slice(2);
const body = payload(seed, Number(size)).bytes();

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
    });
    response.end(body);
    return;
  }
  let received = 0;
  request.on('data', (piece: Buffer) => {
    received += piece.length;
  });
  request.on('end', () => {
    response.writeHead(201, { 'content-length': 0, 'x-received': String(received) });
    response.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.stdout.write(`${address.port}\n`);
});
