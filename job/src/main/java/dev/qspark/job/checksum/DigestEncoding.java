package dev.qspark.job.checksum;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The fixed binary form in which the checksum appends names, shapes and floats to a SHA-256 digest. */
final class DigestEncoding {

  private DigestEncoding() {}

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java SE JVM must provide", e);
    }
  }

  /** Appends the UTF-8 bytes, preceded by their count as a 4-byte big-endian integer. */
  static void putString(MessageDigest digest, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    digest.update(bytes);
  }

  /** Appends the count, then each value, all as 8-byte big-endian integers. */
  static void putLongs(MessageDigest digest, long[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * (values.length + 1)).putLong(values.length);
    for (long value : values) {
      buffer.putLong(value);
    }
    digest.update(buffer.array());
  }

  /** Appends the count, then each value, all as 4-byte big-endian integers. */
  static void putInts(MessageDigest digest, int[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * (values.length + 1)).putInt(values.length);
    for (int value : values) {
      buffer.putInt(value);
    }
    digest.update(buffer.array());
  }

  /** Appends each value's float32 bits, little-endian, as torch stores float32 on x86 and ARM. */
  static void putFloatsLittleEndian(MessageDigest digest, float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      buffer.putFloat(value);
    }
    digest.update(buffer.array());
  }
}
