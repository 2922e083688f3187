package io.callbackingress.family.webhooks;

/** The replay window of timestamped schemes: {@code |now - t| <= tolerance}, both directions. */
final class Timestamps {

  private Timestamps() {}

  static boolean within(String seconds, long nowSeconds, long toleranceSeconds) {
    if (seconds == null || seconds.isEmpty() || seconds.length() > 19 || !seconds.chars().allMatch(Character::isDigit)) {
      return false;
    }
    return Math.abs(nowSeconds - Long.parseLong(seconds)) <= toleranceSeconds;
  }
}
