const blockSize = 512;
const fileMode = 0o644;
const directoryMode = 0o755;

/**
 * A POSIX ustar archive of `files` (path → content), byte-for-byte the same for the same input:
 * entries sorted by path, each parent directory as its own entry, owner root (0:0), mtime 0.
 * Paths are relative with `/` separators, e.g. `etc/motd`.
 */
export function ustarArchive(files: Record<string, string | Buffer>): Buffer {
  const entries = new Map<string, Buffer | 'directory'>();
  for (const [path, content] of Object.entries(files)) {
    const segments = checkedSegments(path);
    for (let depth = 1; depth < segments.length; depth += 1) {
      const directory = segments.slice(0, depth).join('/');
      if (entries.get(directory) instanceof Buffer) throw conflict(directory);
      entries.set(directory, 'directory');
    }
    if (entries.get(path) === 'directory') throw conflict(path);
    entries.set(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }
  const blocks: Buffer[] = [];
  for (const path of [...entries.keys()].sort()) {
    const content = entries.get(path);
    if (content === 'directory') {
      blocks.push(header(`${path}/`, directoryMode, 0, '5'));
    } else if (content !== undefined) {
      blocks.push(header(path, fileMode, content.length, '0'), content, padding(content.length));
    }
  }
  // Two zero blocks end the archive.
  blocks.push(Buffer.alloc(2 * blockSize));
  return Buffer.concat(blocks);
}

function checkedSegments(path: string): string[] {
  const segments = path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new Error(`layer file path must be relative and normalized, got ${JSON.stringify(path)}`);
  }
  return segments;
}

function conflict(path: string): Error {
  return new Error(`layer path ${JSON.stringify(path)} is both a file and a directory`);
}

function padding(length: number): Buffer {
  return Buffer.alloc((blockSize - (length % blockSize)) % blockSize);
}

function header(path: string, mode: number, size: number, typeflag: '0' | '5'): Buffer {
  const block = Buffer.alloc(blockSize);
  const [prefix, name] = splitName(path);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, mode);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, 0); // mtime
  block.write(typeflag, 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii'); // magic "ustar\0", version "00"
  block.write('root', 265, 32, 'ascii'); // uname
  block.write('root', 297, 32, 'ascii'); // gname
  block.write(prefix, 345, 155, 'utf8');
  // The checksum is summed with its own field as eight spaces.
  block.fill(' ', 148, 156);
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  block.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

/** ustar keeps names over 100 bytes as prefix (≤ 155) + "/" + name (≤ 100). */
function splitName(path: string): [prefix: string, name: string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    const prefix = path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') {
      return [prefix, name];
    }
  }
  throw new Error(`layer path is too long for a ustar header: ${JSON.stringify(path)}`);
}

/** Octal digits, zero-padded, NUL-terminated, filling `width` bytes. */
function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  const digits = value.toString(8);
  if (digits.length > width - 1) throw new Error(`${value} does not fit a ${width}-byte tar field`);
  block.write(`${digits.padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}
