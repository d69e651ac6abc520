package dev.errand.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562): a 48-bit millisecond timestamp then random bits, so ids sort roughly
 * by creation time and index well in a B-tree. The 74 random bits (12 of rand_a, 62 of rand_b) come
 * from a {@link SecureRandom}, so an id tells nothing of the ids made before or after it: a task id
 * is not a credential, but knowing one must not lead to another organization's.
 */
final class TimeOrderedIds {
  /** The generator of every task and schedule id; SecureRandom is thread-safe. */
  static final TimeOrderedIds DEFAULT = new TimeOrderedIds(new SecureRandom());

  private final Random source;

  /** Ids with random bits from {@code source}: tests pass a seeded one. */
  TimeOrderedIds(Random source) {
    this.source = source;
  }

  /** A new id for something made at {@code at}. */
  static UUID next(Instant at) {
    return DEFAULT.at(at);
  }

  UUID at(Instant at) {
    ByteBuffer drawn = ByteBuffer.allocate(16);
    source.nextBytes(drawn.array()); // one call: SecureRandom's nextLong would make two
    long millis = at.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
    long high = (millis << 16) | 0x7000L | (drawn.getLong() & 0x0FFFL);
    long low = (drawn.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }

  Random source() {
    return source;
  }
}
