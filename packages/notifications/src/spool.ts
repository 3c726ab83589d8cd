import { mkdir, open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { debuglog } from 'node:util';
import { decodeFrame, encodeFrame, headerBytes, maxPayloadBytes } from './framing.js';
import type { NotificationLogger } from './logger.js';

const debug = debuglog('lading:notifications');

/*
 * One endpoint's queue on local disk:
 *
 *   <directory>/
 *   ├── 0000000000000001.seg   records: u32be length | u32be crc32 | payload (framing.ts)
 *   ├── 0000000000000002.seg   the segment being appended to (a new one on every open)
 *   └── cursor.json            {"segment":1,"offset":4096}: everything before it is delivered
 *
 * An append resolves after write + fsync (and a directory fsync when it created the
 * segment); the cursor is replaced atomically (temp file, fsync, rename, directory fsync);
 * segments wholly before the cursor are deleted. On open, a torn tail (a crash mid-write) is
 * found by its length and checksum and truncated away.
 */

export interface SpoolOptions {
  readonly directory: string;
  /**
   * Bound on the undelivered bytes on disk (framing included); default 256 MiB. When an
   * append would pass it, the append is refused whole: the newest events are dropped,
   * counted in `droppedFull` and logged, and nothing ever waits for room.
   */
  readonly maxBytes?: number;
  /** Start a new segment once the current one holds this many bytes; default 1 MiB. */
  readonly segmentBytes?: number;
  readonly logger?: NotificationLogger;
  /** Names the spool in logs. */
  readonly name?: string;
}

export interface SpoolPosition {
  readonly segment: number;
  readonly offset: number;
}

export interface SpoolRecord {
  readonly payload: Buffer;
  readonly position: SpoolPosition;
  readonly next: SpoolPosition;
}

interface Segment {
  readonly seq: number;
  /** Bytes durably written and valid. */
  size: number;
}

interface QueuedAppend {
  readonly frames: Buffer;
  readonly count: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const cursorFile = 'cursor.json';
const segmentPattern = /^(\d{16})\.seg$/;
const segmentName = (seq: number) => `${String(seq).padStart(16, '0')}.seg`;

export class Spool {
  readonly #directory: string;
  readonly #maxBytes: number;
  readonly #segmentBytes: number;
  readonly #logger: NotificationLogger | undefined;
  readonly #name: string;
  readonly #segments: Segment[];
  #head: SpoolPosition;
  #writer: FileHandle;
  #reader: { seq: number; handle: FileHandle } | undefined;
  #pending: number;
  /** Undelivered bytes, including appends accepted but not yet written. */
  #bytes: number;
  #droppedFull = 0;
  #queue: QueuedAppend[] = [];
  #draining: Promise<void> | undefined;
  #waiters = new Set<() => void>();
  #closed = false;

  private constructor(
    options: SpoolOptions,
    state: { segments: Segment[]; head: SpoolPosition; writer: FileHandle; pending: number },
  ) {
    this.#directory = options.directory;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.#segmentBytes = options.segmentBytes ?? 1024 * 1024;
    this.#logger = options.logger;
    this.#name = options.name ?? options.directory;
    this.#segments = state.segments;
    this.#head = state.head;
    this.#writer = state.writer;
    this.#pending = state.pending;
    this.#bytes =
      this.#segments.reduce((sum, segment) => sum + segment.size, 0) - this.#head.offset;
  }

  /** Opens (or creates) the spool in `directory`, recovering from any crash. */
  static async open(options: SpoolOptions): Promise<Spool> {
    const { directory } = options;
    await mkdir(directory, { recursive: true });
    const seqs = (await readdir(directory))
      .map((name) => segmentPattern.exec(name)?.[1])
      .filter((seq): seq is string => seq !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const cursor = await readCursor(directory, options.logger, options.name ?? directory);
    const segments: Segment[] = [];
    for (const seq of seqs) {
      if (cursor !== undefined && seq < cursor.segment) {
        // Delivered; a crash came between the cursor write and the delete.
        await unlink(join(directory, segmentName(seq)));
        continue;
      }
      segments.push({ seq, size: 0 });
    }
    let head: SpoolPosition =
      cursor !== undefined && segments[0]?.seq === cursor.segment
        ? cursor
        : { segment: segments[0]?.seq ?? 1, offset: 0 };
    let pending = 0;
    for (const segment of segments) {
      const path = join(directory, segmentName(segment.seq));
      const content = await readFile(path);
      let offset = 0;
      for (let frame = decodeFrame(content, 0); frame; frame = decodeFrame(content, offset)) {
        if (segment.seq !== head.segment || offset >= head.offset) pending += 1;
        offset = frame.end;
      }
      segment.size = offset;
      if (offset < content.length) {
        report(options.logger, 'warn', 'spool: dropping a torn record at the end of a segment', {
          spool: options.name ?? directory,
          segment: segment.seq,
          validBytes: offset,
          fileBytes: content.length,
        });
        const handle = await open(path, 'r+');
        try {
          await handle.truncate(offset);
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
    }
    if (segments[0] !== undefined && head.offset > segments[0].size) {
      head = { segment: head.segment, offset: segments[0].size };
    }
    // Empty segments (a start that spooled nothing) hold nothing to keep.
    const kept = segments.filter((segment) => segment.size > 0);
    for (const segment of segments.filter((candidate) => candidate.size === 0)) {
      await unlink(join(directory, segmentName(segment.seq)));
    }
    if (kept[0]?.seq !== head.segment) head = { segment: kept[0]?.seq ?? 0, offset: 0 };
    // Append to a fresh segment: whatever the crash left behind stays as it was recovered.
    // Numbers only grow, even past a cursor whose segments are all gone.
    const seq = Math.max(seqs.at(-1) ?? 0, cursor?.segment ?? 0) + 1;
    const writer = await open(join(directory, segmentName(seq)), 'w');
    await syncDirectory(directory);
    kept.push({ seq, size: 0 });
    if (kept.length === 1) head = { segment: seq, offset: 0 };
    return new Spool(options, { segments: kept, head, writer, pending });
  }

  /** Records not yet acknowledged. */
  get pending(): number {
    return this.#pending;
  }

  /** Undelivered bytes on disk, framing included. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Events refused because the spool was full, since it was opened. */
  get droppedFull(): number {
    return this.#droppedFull;
  }

  /**
   * Appends the payloads in order, as one unit. Resolves `true` once they are on disk (and
   * will be read, in this order, by this or any later spool on the directory), or `false`
   * when the spool is full and refused them all. Concurrent appends share one fsync.
   */
  append(payloads: readonly Buffer[]): Promise<boolean> {
    if (this.#closed) return Promise.reject(new Error(`spool ${this.#name} is closed`));
    if (payloads.length === 0) return Promise.resolve(true);
    if (payloads.some((payload) => payload.length > maxPayloadBytes)) {
      return Promise.reject(
        new RangeError(`a spool record is limited to ${maxPayloadBytes} bytes`),
      );
    }
    const frames = Buffer.concat(payloads.map(encodeFrame));
    if (this.#bytes + frames.length > this.#maxBytes) {
      this.#droppedFull += payloads.length;
      report(this.#logger, 'error', 'spool full: dropping the newest events', {
        spool: this.#name,
        dropped: payloads.length,
        droppedFull: this.#droppedFull,
        bytes: this.#bytes,
        maxBytes: this.#maxBytes,
      });
      return Promise.resolve(false);
    }
    this.#bytes += frames.length;
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ frames, count: payloads.length, resolve, reject });
      this.#draining ??= this.#drain().finally(() => (this.#draining = undefined));
    }).then(() => true);
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0);
      try {
        await this.#write(Buffer.concat(batch.map((append) => append.frames)));
      } catch (error) {
        for (const append of batch) {
          this.#bytes -= append.frames.length;
          append.reject(error);
        }
        continue;
      }
      for (const append of batch) {
        this.#pending += append.count;
        append.resolve();
      }
      for (const wake of this.#waiters) wake();
      this.#waiters.clear();
    }
  }

  async #write(frames: Buffer): Promise<void> {
    let segment = this.#writeSegment();
    if (segment.size > 0 && segment.size + frames.length > this.#segmentBytes) {
      await this.#writer.close();
      const seq = segment.seq + 1;
      this.#writer = await open(join(this.#directory, segmentName(seq)), 'w');
      await syncDirectory(this.#directory);
      segment = { seq, size: 0 };
      this.#segments.push(segment);
    }
    let written = 0;
    while (written < frames.length) {
      const { bytesWritten } = await this.#writer.write(
        frames,
        written,
        frames.length - written,
        segment.size + written,
      );
      written += bytesWritten;
    }
    await this.#writer.sync();
    segment.size += frames.length;
  }

  /** The last segment: appends go there, and it is never deleted. */
  #writeSegment(): Segment {
    const segment = this.#segments.at(-1);
    if (segment === undefined) throw new Error(`spool ${this.#name} has no segment`);
    return segment;
  }

  /** Resolves once a record is pending, or when `signal` aborts or the spool closes. */
  waitForRecords(signal?: AbortSignal): Promise<void> {
    if (this.#pending > 0 || this.#closed || signal?.aborted === true) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        signal?.removeEventListener('abort', wake);
        this.#waiters.delete(wake);
        resolve();
      };
      this.#waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  /** Up to `max` records from the head, in order, without consuming them. */
  async read(max: number): Promise<SpoolRecord[]> {
    const records: SpoolRecord[] = [];
    let position = this.#head;
    while (records.length < max && records.length < this.#pending) {
      const index = this.#segments.findIndex((segment) => segment.seq === position.segment);
      const segment = this.#segments[index];
      if (segment === undefined) break;
      if (position.offset >= segment.size) {
        const following = this.#segments[index + 1];
        if (following === undefined) break;
        position = { segment: following.seq, offset: 0 };
        continue;
      }
      const frame = await this.#readFrame(segment, position.offset);
      if (frame === undefined) {
        // Corrupted after it was written and checked: skip the rest of that segment.
        report(
          this.#logger,
          'error',
          'spool: unreadable record, skipping the rest of its segment',
          {
            spool: this.#name,
            segment: segment.seq,
            offset: position.offset,
          },
        );
        segment.size = position.offset;
        continue;
      }
      const next = { segment: segment.seq, offset: frame.end };
      records.push({ payload: frame.payload, position, next });
      position = next;
    }
    return records;
  }

  async #readFrame(segment: Segment, offset: number) {
    if (this.#reader?.seq !== segment.seq) {
      await this.#reader?.handle.close();
      this.#reader = undefined;
      const handle = await open(join(this.#directory, segmentName(segment.seq)), 'r');
      this.#reader = { seq: segment.seq, handle };
    }
    const { handle } = this.#reader;
    const header = Buffer.alloc(headerBytes);
    await handle.read(header, 0, headerBytes, offset);
    const length = Math.min(header.readUInt32BE(0), segment.size - offset - headerBytes);
    const frame = Buffer.alloc(headerBytes + Math.max(length, 0));
    await handle.read(frame, 0, frame.length, offset);
    const decoded = decodeFrame(frame, 0);
    return decoded && { payload: decoded.payload, end: offset + decoded.end };
  }

  /**
   * Marks `records` (the head ones, as `read` gave them) delivered: persists the cursor
   * atomically, then deletes the segments it has passed.
   */
  async ack(records: readonly SpoolRecord[]): Promise<void> {
    const last = records.at(-1);
    const first = records[0];
    if (first === undefined || last === undefined) return;
    if (first.position.segment < this.#head.segment) {
      throw new Error('ack of records not at the head');
    }
    const bytes = records.reduce((sum, record) => sum + headerBytes + record.payload.length, 0);
    let head = last.next;
    const index = this.#segments.findIndex((segment) => segment.seq === head.segment);
    const current = this.#segments[index];
    const following = this.#segments[index + 1];
    if (current !== undefined && following !== undefined && head.offset >= current.size) {
      head = { segment: following.seq, offset: 0 };
    }
    await writeCursor(this.#directory, head);
    this.#head = head;
    this.#pending -= records.length;
    this.#bytes -= bytes;
    for (let gone = this.#segments[0]; gone !== undefined && gone.seq < head.segment;) {
      this.#segments.shift();
      if (this.#reader?.seq === gone.seq) {
        await this.#reader.handle.close();
        this.#reader = undefined;
      }
      await unlink(join(this.#directory, segmentName(gone.seq)));
      debug('spool %s: deleted delivered segment %d', this.#name, gone.seq);
      gone = this.#segments[0];
    }
  }

  /** Finishes the appends already accepted, then closes the files; waiters are released. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#draining;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
    await this.#reader?.handle.close();
    await this.#writer.close();
  }
}

async function readCursor(
  directory: string,
  logger: NotificationLogger | undefined,
  name: string,
): Promise<SpoolPosition | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, cursorFile), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const value = parseJson(text) as Partial<SpoolPosition> | null;
  const { segment, offset } = value ?? {};
  if (
    typeof segment === 'number' &&
    typeof offset === 'number' &&
    Number.isSafeInteger(segment) &&
    Number.isSafeInteger(offset)
  ) {
    return { segment, offset };
  }
  // Written atomically, so this is not a crash: redeliver everything rather than lose any.
  report(logger, 'error', 'spool: unreadable cursor, redelivering from the oldest segment', {
    spool: name,
  });
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function writeCursor(directory: string, position: SpoolPosition): Promise<void> {
  const temporary = join(directory, `${cursorFile}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(JSON.stringify(position));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, join(directory, cursorFile));
  await syncDirectory(directory);
}

/** Makes a created, renamed or deleted name durable. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function report(
  logger: NotificationLogger | undefined,
  level: 'info' | 'warn' | 'error',
  message: string,
  fields: Record<string, unknown>,
): void {
  debug('%s %j', message, fields);
  logger?.(level, message, fields);
}
