package org.kaoping.delivery.reminder;

import java.nio.file.Path;

/**
 * Where the reminders' notifications go: the JDBC target that records each one once (the feed's target database) and
 * the file drop directory.
 */
public record ReminderSettings(String targetUrl, String targetUser, String targetPassword, Path dropDir) {
  /** These settings with another target (the demo's embedded {@code cadre} database). */
  public ReminderSettings withTarget(String url, String user, String password) {
    return new ReminderSettings(url, user, password, dropDir);
  }

  /** The target URL as printed: a password given in the URL is masked. */
  public String targetDisplay() {
    return targetUrl == null ? null : targetUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public String toString() { // never print the password
    return "ReminderSettings[targetUrl=" + targetDisplay() + ", targetUser=" + targetUser + ", dropDir=" + dropDir + "]";
  }
}
