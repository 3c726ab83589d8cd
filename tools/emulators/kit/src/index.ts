export { KeyedLock } from './keyed-lock.js';
export { readJson, removeQuietly, removeWhenClosed, writeJsonAtomically } from './files.js';
export {
  loopbackHost,
  serveOnLoopback,
  type LoopbackServer,
  type RequestHandler,
} from './loopback-server.js';
