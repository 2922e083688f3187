package io.callbackingress.tls;

import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The keys that encrypt and decrypt TLS session tickets (SPEC 4, {@code tls.sessionTicketKeysPath}).
 *
 * <p>A key file holds one key of {@value #FILE_BYTES} bytes — 16 of name, 16 of HMAC secret, 16 of
 * AES key, the layout of BoringSSL's ticket callback and of nginx's {@code ssl_session_ticket_key},
 * so {@code openssl rand 48} makes one. Every replica that reads the same file decrypts the others'
 * tickets. Replacing the file rotates: the new key encrypts, and the key it replaces still decrypts
 * until the next rotation, so a ticket issued just before a rotation still resumes after it.
 *
 * <p>Without a file the keys are random per process, drawn once: BoringSSL's own would be drawn
 * per context, and a certificate reload builds new contexts, which would end every session.
 */
public final class TicketKeys {

  static final int FILE_BYTES = OpenSslSessionTicketKey.TICKET_KEY_SIZE;
  private static final int PART = OpenSslSessionTicketKey.NAME_SIZE;

  /** The first key encrypts new tickets; all of them decrypt. */
  private volatile OpenSslSessionTicketKey[] keys;
  /** The file the first key came from (null for a per-process key). */
  private Buffer current;

  private TicketKeys(OpenSslSessionTicketKey[] keys, Buffer current) {
    this.keys = keys;
    this.current = current;
  }

  static TicketKeys perProcess() {
    byte[] random = new byte[FILE_BYTES];
    new SecureRandom().nextBytes(random);
    return new TicketKeys(new OpenSslSessionTicketKey[] {key(random)}, null);
  }

  /** @throws IllegalArgumentException when the content is not one key */
  static TicketKeys of(Buffer file) {
    return new TicketKeys(new OpenSslSessionTicketKey[] {key(file)}, file);
  }

  static boolean isKey(Buffer file) {
    return file != null && file.length() == FILE_BYTES;
  }

  /**
   * A new key file: its key encrypts from now on, the one it replaces still decrypts. The same file
   * again (a reload that failed and is retried) changes nothing, so the replaced key is not lost.
   */
  synchronized void rotate(Buffer file) {
    if (file.equals(current)) {
      return;
    }
    keys = new OpenSslSessionTicketKey[] {key(file), keys[0]};
    current = file;
  }

  /** Gives a server context the current keys; a context built later gets the keys of then. */
  void install(OpenSslServerSessionContext context) {
    context.setTicketKeys(keys);
  }

  private static OpenSslSessionTicketKey key(Buffer file) {
    if (!isKey(file)) {
      throw new IllegalArgumentException("a session ticket key file holds exactly " + FILE_BYTES + " bytes ("
          + "openssl rand " + FILE_BYTES + "), not " + (file == null ? 0 : file.length()));
    }
    return key(file.getBytes());
  }

  private static OpenSslSessionTicketKey key(byte[] bytes) {
    return new OpenSslSessionTicketKey(Arrays.copyOfRange(bytes, 0, PART), Arrays.copyOfRange(bytes, PART, 2 * PART),
        Arrays.copyOfRange(bytes, 2 * PART, 3 * PART));
  }
}
