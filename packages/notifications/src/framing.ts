import { crc32 } from 'node:zlib';

/**
 * A spool record on disk: `u32be length | u32be crc32(payload) | payload`. A write cut short
 * by a crash leaves a header without its payload, or a payload whose checksum does not match:
 * either marks the end of what was durably written.
 */
export const headerBytes = 8;

/** No event comes near this; a larger length is a torn or foreign header. */
export const maxPayloadBytes = 16 * 1024 * 1024;

export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(headerBytes + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32(payload), 4);
  payload.copy(frame, headerBytes);
  return frame;
}

export interface DecodedFrame {
  readonly payload: Buffer;
  /** Where the next frame starts. */
  readonly end: number;
}

/** The frame at `offset` of `buffer`, or undefined when it is incomplete or corrupt. */
export function decodeFrame(buffer: Buffer, offset: number): DecodedFrame | undefined {
  if (offset + headerBytes > buffer.length) return undefined;
  const length = buffer.readUInt32BE(offset);
  if (length > maxPayloadBytes) return undefined;
  const end = offset + headerBytes + length;
  if (end > buffer.length) return undefined;
  const payload = buffer.subarray(offset + headerBytes, end);
  if (crc32(payload) !== buffer.readUInt32BE(offset + 4)) return undefined;
  return { payload, end };
}
