package org.kaoping.delivery.reminder;

/** A reminder delivery's failure whose message is the whole story (what to fix, and that nothing was delivered). */
public final class ReminderException extends RuntimeException {
  public ReminderException(String message) {
    super(message);
  }
}
