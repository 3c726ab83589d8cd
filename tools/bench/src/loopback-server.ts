// A plain node:http server for the loopback limits, run in its own process so that it does
// not share the client's core. GET sends SEED's SIZE bytes from memory; PUT / discards the
// body; PUT /hash does what every registry upload must, and no more: SHA-256 of the body;
// PUT /store also writes it to a file in DIRECTORY (not even fsynced). Both answer the digest
// in X-Digest. Prints its port on stdout, then serves until killed.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { payload } from './payload.js';

const [seed = '', size = '0', directory = ''] = process.argv.slice(2);
const body = payload(seed, Number(size)).bytes();

function discard(request: IncomingMessage, response: ServerResponse): void {
  let received = 0;
  request.on('data', (piece: Buffer) => {
    received += piece.length;
  });
  request.on('end', () => {
    response.writeHead(201, { 'content-length': 0, 'x-received': String(received) });
    response.end();
  });
}

function hashOnly(request: IncomingMessage, response: ServerResponse): void {
  const hash = createHash('sha256');
  request.on('data', (piece: Buffer) => {
    hash.update(piece);
  });
  request.on('end', () => {
    response.writeHead(201, { 'content-length': 0, 'x-digest': `sha256:${hash.digest('hex')}` });
    response.end();
  });
}

async function store(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const hash = createHash('sha256');
  const path = join(directory, 'bare-upload');
  const hashing = new Transform({
    transform(piece: Buffer, _encoding, callback) {
      hash.update(piece);
      callback(null, piece);
    },
  });
  // A write stream gathers the pieces that arrive during a write into one writev.
  await pipeline(request, hashing, createWriteStream(path));
  await rm(path);
  response.writeHead(201, { 'content-length': 0, 'x-digest': `sha256:${hash.digest('hex')}` });
  response.end();
}

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
    });
    response.end(body);
  } else if (request.url === '/hash') {
    hashOnly(request, response);
  } else if (request.url === '/store') {
    store(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-length': 0, 'x-error': String(error) });
      response.end();
    });
  } else {
    discard(request, response);
  }
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.stdout.write(`${address.port}\n`);
});
