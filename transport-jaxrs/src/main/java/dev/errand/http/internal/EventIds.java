package dev.errand.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.OptionalLong;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ids of an organization's Server-Sent Events: each event's number in the engine's log, with a
 * tag of the organization, enciphered as one AES block under a secret key and written as 22
 * base64url characters. An organization cannot read the numbers out of its ids, so the gaps between
 * its events say nothing of other organizations' events; the server reads them back exactly, and
 * refuses an id that another organization (or another key) made. Thread-safe.
 */
public final class EventIds {
  /** The id that resumes a stream from the oldest event kept. */
  static final String FROM_START = "0";

  private static final int TAG_BYTES = 8;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  /**
   * @param key 32 secret bytes (AES-256), the same on every node whose streams a client may resume
   */
  public EventIds(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("an event id key has 32 bytes, was " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The id of event number {@code seq} as the organization sees it. */
  String format(String organizationId, long seq) {
    byte[] block = ByteBuffer.allocate(16).putLong(seq).put(tag(organizationId)).array();
    return ENCODER.encodeToString(crypt(Cipher.ENCRYPT_MODE, block));
  }

  /**
   * The event number an id of this organization stands for; {@link #FROM_START} stands for 0.
   *
   * @return empty when the id is not one this organization was given
   */
  OptionalLong parse(String organizationId, String id) {
    String text = id.strip();
    if (text.equals(FROM_START)) {
      return OptionalLong.of(0);
    }
    byte[] block;
    try {
      block = DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      return OptionalLong.empty();
    }
    if (block.length != 16) {
      return OptionalLong.empty();
    }
    ByteBuffer plain = ByteBuffer.wrap(crypt(Cipher.DECRYPT_MODE, block));
    long seq = plain.getLong();
    byte[] tag = new byte[TAG_BYTES];
    plain.get(tag);
    if (seq < 0 || !MessageDigest.isEqual(tag, tag(organizationId))) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(seq);
  }

  private static byte[] tag(String organizationId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(organizationId.getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, TAG_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private byte[] crypt(int mode, byte[] block) {
    try {
      // one block, no chaining: a keyed permutation of the 16 bytes, which is all an id needs
      Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
      cipher.init(mode, key);
      return cipher.doFinal(block);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES is missing from this JVM", e);
    }
  }
}
