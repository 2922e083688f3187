package io.callbackingress.spool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * One record on disk: payload length (int), CRC32C (int), append time in epoch milliseconds
 * (long), payload. The checksum covers the length, the time and the payload, so a torn or flipped
 * record anywhere in it is caught, including a length that happens to fit in the file.
 */
final class RecordFormat {

  static final int HEADER_BYTES = 16;

  private RecordFormat() {}

  /** A record read back, and the offset just past it. */
  record Read(long appendedAtMillis, byte[] payload, long end) {}

  static ByteBuffer header(byte[] payload, long appendedAtMillis) {
    return ByteBuffer.allocate(HEADER_BYTES)
        .putInt(payload.length)
        .putInt(checksum(payload.length, appendedAtMillis, payload))
        .putLong(appendedAtMillis)
        .flip();
  }

  /**
   * The record at {@code offset}, or {@code null} when what is there up to {@code end} is not a
   * whole record with a matching checksum — a torn write.
   */
  static Read read(FileChannel channel, long offset, long end) throws IOException {
    if (end - offset < HEADER_BYTES) {
      return null;
    }
    ByteBuffer header = readFully(channel, offset, HEADER_BYTES);
    int length = header.getInt();
    int crc = header.getInt();
    long appendedAt = header.getLong();
    if (length < 0 || end - offset - HEADER_BYTES < length) {
      return null;
    }
    byte[] payload = readFully(channel, offset + HEADER_BYTES, length).array();
    if (checksum(length, appendedAt, payload) != crc) {
      return null;
    }
    return new Read(appendedAt, payload, offset + HEADER_BYTES + length);
  }

  /** The append time in the header at {@code offset}, without reading the payload. */
  static long appendedAt(FileChannel channel, long offset) throws IOException {
    return readFully(channel, offset, HEADER_BYTES).getLong(8);
  }

  private static int checksum(int length, long appendedAtMillis, byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(12).putInt(length).putLong(appendedAtMillis).flip());
    crc.update(payload);
    return (int) crc.getValue();
  }

  private static ByteBuffer readFully(FileChannel channel, long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        throw new EOFException("short read at offset " + offset);
      }
    }
    return buffer.flip();
  }
}
