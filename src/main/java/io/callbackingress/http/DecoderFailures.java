package io.callbackingress.http;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * What a decoder's failure is answered with, and what kind of request it was in words of our own.
 * Netty's and Vert.x's messages quote what they refused — a header value refused for a NUL after a
 * valid token quoted the token — so no such message may reach a log line: only the fixed start of
 * a known one is matched here.
 */
final class DecoderFailures {

  private static final int BAD_REQUEST = 400;
  private static final int VERSION_NOT_SUPPORTED = 505;

  private record Known(String start, int status, String kind) {}

  /** Known message starts, the more specific first. */
  private static final List<Known> KNOWN = List.of(
      new Known("invalid version format", VERSION_NOT_SUPPORTED, "a malformed HTTP version"),
      new Known("Invalid version number", VERSION_NOT_SUPPORTED, "a malformed HTTP version"),
      new Known("text is empty", VERSION_NOT_SUPPORTED, "no HTTP version (HTTP/0.9)"),
      new Known("Illegal character in HTTP Method", BAD_REQUEST, "a control byte or separator in the method"),
      new Known("The HTTP method name", BAD_REQUEST, "a control byte or separator in the method"),
      new Known("Illegal character in request line", BAD_REQUEST, "a control byte in the request line"),
      new Known("The URI contain illegal characters", BAD_REQUEST, "an illegal character in the request-target"),
      new Known("a header value", BAD_REQUEST, "a prohibited character in a header value"),
      new Known("a header name", BAD_REQUEST, "a prohibited character in a header name"),
      new Known("empty headers are not allowed", BAD_REQUEST, "an empty header name"),
      new Known("No colon found", BAD_REQUEST, "a header line without a colon"),
      new Known("Invalid separator", BAD_REQUEST, "an invalid separator in a header line"),
      new Known("Multiple Content-Length", BAD_REQUEST, "several Content-Length values"),
      new Known("Content-Length value", BAD_REQUEST, "an invalid Content-Length"),
      new Known("Empty chunk size", BAD_REQUEST, "an invalid chunk size"),
      new Known("Invalid character in chunk size", BAD_REQUEST, "an invalid chunk size"),
      new Known("Chunk size overflow", BAD_REQUEST, "an invalid chunk size"),
      new Known("prohibited trailing header", BAD_REQUEST, "a prohibited trailer field"));

  private DecoderFailures() {}

  static RefusedRequestHead refusal(Throwable cause) {
    if (cause instanceof RefusedRequestHead refused) {
      return refused;
    }
    if (cause instanceof TooLongHttpLineException) {
      return new RefusedRequestHead(414, "URI too long", "a request line too long");
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return new RefusedRequestHead(431, "Request header fields too large", "a header section too large");
    }
    String message = cause == null ? null : cause.getMessage();
    if (message != null) {
      for (Known known : KNOWN) {
        if (message.startsWith(known.start())) {
          return new RefusedRequestHead(known.status(), error(known.status()), known.kind());
        }
      }
    }
    return new RefusedRequestHead(BAD_REQUEST, error(BAD_REQUEST),
        cause == null ? "no cause given" : "undecodable (" + cause.getClass().getSimpleName() + ")");
  }

  private static String error(int status) {
    return status == VERSION_NOT_SUPPORTED ? RefusedRequestHead.VERSION_NOT_SUPPORTED : "Bad request";
  }
}
