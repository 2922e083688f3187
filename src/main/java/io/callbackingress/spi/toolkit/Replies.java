package io.callbackingress.spi.toolkit;

import io.callbackingress.spi.Reply;
import io.vertx.core.json.JsonObject;

/** The answers families give most often, built in one place so their bodies match the SPEC everywhere. */
public final class Replies {

  private Replies() {}

  public static Reply notFound() {
    return new Reply(404, new JsonObject().put("error", "Not found"));
  }

  public static Reply conflict(String error) {
    return new Reply(409, new JsonObject().put("error", error));
  }

  public static Reply idAndStatus(String idField, String id, String status) {
    return Reply.ok(new JsonObject().put(idField, id).put("status", status));
  }
}
