package io.callbackingress.spi;

/** The audit line of one request (SPEC 8). Holds no secret, token, signature or body. */
public record AuditRecord(String ts, String requestId, String method, String path, int status,
                          double durationMs, String clientIp, String identity, String family,
                          long bytesIn, long bytesOut) {}
