import { Transform, type TransformCallback } from 'node:stream';
import { badRequest } from './errors.js';

// The metadata part is a JSON object resource, a few KiB at most.
const maxMetadataPart = 1024 * 1024;
const maxPartHeaders = 16 * 1024;

/** The first part of a multipart upload: the object resource, and the media part's type. */
export interface MultipartMetadata {
  metadataJson: string;
  mediaContentType: string | undefined;
}

type State = 'preamble' | 'delimited' | 'headers' | 'body' | 'epilogue';

/**
 * Reads a `multipart/related` upload body (a JSON metadata part, then the media part) and
 * passes on only the media part's bytes, so they stream to disk without being held whole.
 * The SDK writes `--B\r\nContent-Type: …\r\n\r\n<json>\r\n--B\r\nContent-Type: …\r\n\r\n<media>\r\n--B--`.
 * A part ends at CRLF `--B`; the last `delimiter.length - 1` bytes stay back between chunks
 * in case a delimiter straddles two of them. `metadata()` is there once the body is read.
 *
 * A malformed body does not fail the stream: that would destroy the request, and the client
 * would see a reset connection instead of a 400. The rest of the body is read and dropped,
 * and `metadata()` throws the 400.
 */
export class MultipartMediaExtractor extends Transform {
  private readonly delimiter: Buffer;
  // The first `--B` may open the body with no CRLF before it: one is put in front.
  private pending = Buffer.from('\r\n');
  private state: State = 'preamble';
  private part = -1;
  private metadataChunks: Buffer[] = [];
  private metadataLength = 0;
  private metadataJson: string | undefined;
  private mediaContentType: string | undefined;
  private failure: Error | undefined;

  constructor(boundary: string) {
    super();
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  metadata(): MultipartMetadata {
    if (this.failure !== undefined) throw this.failure;
    if (this.metadataJson === undefined) throw badRequest('The multipart body has no metadata.');
    return { metadataJson: this.metadataJson, mediaContentType: this.mediaContentType };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failure === undefined) {
      try {
        this.pending = Buffer.concat([this.pending, chunk]);
        while (this.step());
      } catch (error) {
        this.failure = error as Error;
        this.pending = Buffer.alloc(0);
      }
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.state !== 'epilogue' || this.part !== 1) {
      this.failure ??= badRequest('The multipart body must hold a metadata and a media part.');
    }
    done();
  }

  /** One move through the states; false when it needs more bytes. */
  private step(): boolean {
    switch (this.state) {
      case 'preamble':
        return this.skipPreamble();
      case 'delimited':
        return this.afterDelimiter();
      case 'headers':
        return this.readHeaders();
      case 'body':
        return this.readBody();
      case 'epilogue':
        this.pending = Buffer.alloc(0);
        return false;
    }
  }

  private skipPreamble(): boolean {
    const at = this.pending.indexOf(this.delimiter);
    if (at < 0) {
      if (this.pending.length > maxPartHeaders) throw badRequest('No multipart boundary found.');
      return false;
    }
    this.pending = this.pending.subarray(at + this.delimiter.length);
    this.state = 'delimited';
    return true;
  }

  /** After a delimiter: `--` ends the body, CRLF starts the next part's headers. */
  private afterDelimiter(): boolean {
    if (this.pending.length < 2) return false;
    const next = this.pending.subarray(0, 2).toString('latin1');
    this.pending = this.pending.subarray(2);
    if (next === '--') {
      this.state = 'epilogue';
      return true;
    }
    if (next !== '\r\n') throw badRequest('Malformed multipart boundary line.');
    this.part += 1;
    if (this.part > 1) throw badRequest('A multipart upload has exactly two parts.');
    this.state = 'headers';
    return true;
  }

  private readHeaders(): boolean {
    const end = this.pending.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.pending.length > maxPartHeaders) throw badRequest('Multipart headers too long.');
      return false;
    }
    const lines = this.pending.subarray(0, end).toString('latin1').split('\r\n');
    this.pending = this.pending.subarray(end + 4);
    if (this.part === 1) {
      const type = lines.find((line) => /^content-type\s*:/i.test(line));
      this.mediaContentType = type?.slice(type.indexOf(':') + 1).trim();
    }
    this.state = 'body';
    return true;
  }

  private readBody(): boolean {
    const at = this.pending.indexOf(this.delimiter);
    const usable = at >= 0 ? at : Math.max(0, this.pending.length - (this.delimiter.length - 1));
    this.emitBody(this.pending.subarray(0, usable));
    if (at < 0) {
      this.pending = this.pending.subarray(usable);
      return false;
    }
    this.pending = this.pending.subarray(at + this.delimiter.length);
    if (this.part === 0) this.metadataJson = Buffer.concat(this.metadataChunks).toString('utf8');
    this.state = 'delimited';
    return true;
  }

  private emitBody(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.part === 1) {
      // No copy needed: Buffer.concat made `pending` fresh, and it is never written to.
      this.push(bytes);
      return;
    }
    this.metadataLength += bytes.length;
    if (this.metadataLength > maxMetadataPart) throw badRequest('The metadata part is too large.');
    this.metadataChunks.push(bytes);
  }
}

/** The boundary of a `multipart/related; boundary=…` Content-Type; 400 without one. */
export function multipartBoundary(contentType: string | undefined): string {
  const match = /^multipart\/related\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(
    contentType ?? '',
  );
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) {
    throw badRequest('uploadType=multipart needs Content-Type: multipart/related; boundary=…');
  }
  return boundary;
}
