package dev.errand.internal;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUID version 7 (RFC 9562): a 48-bit millisecond timestamp then random bits, so ids sort roughly
 * by creation time and index well in a B-tree.
 */
final class TimeOrderedIds {
  private TimeOrderedIds() {}

  static UUID next(Instant at) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = at.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
    long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }
}
