package io.callbackingress.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 on a bare socket, for what a well-behaved client cannot send: smuggling attempts,
 * oversized or malformed heads, bodies that never finish. Blocking: for the test thread only.
 */
public final class RawHttp {

  private static final int QUIET_MILLIS = 1_000;

  private RawHttp() {}

  /**
   * Sends {@code request} as ISO-8859-1 (so any byte can be sent) and returns what came back
   * before the server closed, reset, or went quiet for a second. A server that answers early and
   * stops reading is fine: what it said is still returned.
   */
  public static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (IOException answeredEarly) {
        // the server answered before reading everything: read what it said
      }
      return readAnswer(socket);
    }
  }

  /** What the server sent on {@code socket} until it closed, reset, or went quiet for a second. */
  public static String readAnswer(Socket socket) throws IOException {
    return readAnswer(socket, Duration.ofMillis(QUIET_MILLIS));
  }

  /** What the server sent on {@code socket} until it closed, reset, or went quiet for {@code quiet}. */
  public static String readAnswer(Socket socket, Duration quiet) throws IOException {
    socket.setSoTimeout(Math.toIntExact(quiet.toMillis()));
    InputStream in = socket.getInputStream();
    StringBuilder answer = new StringBuilder();
    byte[] chunk = new byte[8192];
    try {
      for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
        answer.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
      }
    } catch (SocketTimeoutException | SocketException quietOrReset) {
      // what arrived is the answer
    }
    return answer.toString();
  }

  /** The status code of a raw answer, or -1 when nothing came back. */
  public static int status(String answer) {
    return answer.length() >= 12 && answer.startsWith("HTTP/1.") ? Integer.parseInt(answer.substring(9, 12)) : -1;
  }
}
