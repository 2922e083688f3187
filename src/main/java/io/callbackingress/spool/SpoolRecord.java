package io.callbackingress.spool;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/** One record read back for replay: what the caller appended, when, and the position to acknowledge. */
public record SpoolRecord(SpoolPosition position, Instant appendedAt, Buffer payload) {}
