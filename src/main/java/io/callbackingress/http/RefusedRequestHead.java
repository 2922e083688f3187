package io.callbackingress.http;

/**
 * A request head that could not be read or that {@link RequestHeadCheck} refuses, as the
 * decoder's failure: the status and error it is answered with, and what kind of request it was —
 * never its bytes — for the log.
 */
final class RefusedRequestHead extends RuntimeException {

  static final String VERSION_NOT_SUPPORTED = "HTTP version not supported";

  private final int status;
  private final String error;

  RefusedRequestHead(int status, String error, String kind) {
    super(kind, null, false, false);
    this.status = status;
    this.error = error;
  }

  static RefusedRequestHead badMethod() {
    return new RefusedRequestHead(400, "Bad request", "control bytes around the method");
  }

  static RefusedRequestHead unsupportedVersion() {
    return new RefusedRequestHead(505, VERSION_NOT_SUPPORTED, "an HTTP version other than 1.0 and 1.1");
  }

  /** {@code OPTIONS *}, {@code CONNECT host:port}, a relative path: no resource of ours is named so. */
  static RefusedRequestHead noSuchTarget() {
    return new RefusedRequestHead(404, "Not found", "a request-target neither a path nor an http(s) URI");
  }

  /** RFC 9112 §3.2: a request with more than one Host is answered 400. */
  static RefusedRequestHead duplicateHost() {
    return new RefusedRequestHead(400, "Invalid Host", "more than one Host header");
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }

  String kind() {
    return getMessage();
  }
}
