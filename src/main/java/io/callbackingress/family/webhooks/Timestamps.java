package io.callbackingress.family.webhooks;

/** The replay window of timestamped schemes: {@code |now - t| <= tolerance}, both directions. */
final class Timestamps {

  private Timestamps() {}

  static boolean within(String seconds, long nowSeconds, long toleranceSeconds) {
    // 18 digits always fit a long: a longer "timestamp" is refused, not an exception.
    if (seconds == null || seconds.isEmpty() || seconds.length() > 18 || !seconds.chars().allMatch(Character::isDigit)) {
      return false;
    }
    return Math.abs(nowSeconds - Long.parseLong(seconds)) <= toleranceSeconds;
  }
}
