package io.callbackingress.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A blocking one-command Redis client for test set-up and checks (never on an event loop). */
public final class RedisCommand {

  private RedisCommand() {}

  /** Sends one command and returns the raw first line of the reply. */
  public static String send(String uri, String... args) {
    URI parsed = URI.create(uri);
    int db = parsed.getPath() == null || parsed.getPath().length() <= 1 ? 0 : Integer.parseInt(parsed.getPath().substring(1));
    try (Socket socket = new Socket(parsed.getHost(), parsed.getPort())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(encode("SELECT", Integer.toString(db)));
      readLine(in);
      out.write(encode(args));
      return readLine(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one command whose reply is a bulk string ({@code INFO}, {@code GET}) and returns that string. */
  public static String bulk(String uri, String... args) {
    URI parsed = URI.create(uri);
    try (Socket socket = new Socket(parsed.getHost(), parsed.getPort())) {
      socket.getOutputStream().write(encode(args));
      InputStream in = socket.getInputStream();
      String header = readLine(in);
      if (!header.startsWith("$")) {
        throw new IllegalStateException("not a bulk reply: " + header);
      }
      return new String(in.readNBytes(Integer.parseInt(header.substring(1))), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] encode(String... args) {
    StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      sb.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
