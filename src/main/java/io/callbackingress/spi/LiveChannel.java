package io.callbackingress.spi;

/**
 * A live channel a family's events go to (SPEC 3.7), besides {@code events} which has them all:
 * an event whose type starts with {@code eventObject + "."} is also delivered on
 * {@code channelPrefix + data.<idField>}. {@code tooling_job.updated} with {@code data.id = "j1"}
 * goes to {@code tooling_job.j1} under {@code new LiveChannel("tooling_job", "tooling_job.", "id")}.
 */
public record LiveChannel(String eventObject, String channelPrefix, String idField) {

  /** The usual shape: the channel is named like the object, {@code <object>.<id>}. */
  public static LiveChannel of(String object, String idField) {
    return new LiveChannel(object, object + ".", idField);
  }
}
