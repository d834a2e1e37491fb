package org.kaoping.delivery.feed;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the cadre-management feed goes: a JDBC target (optional; {@code null} URL: files only) and the
 * file drop directory, and which period types are delivered by default.
 */
public record FeedSettings(String targetUrl, String targetUser, String targetPassword, Path dropDir,
    List<String> periodTypes) {
  /** These settings with another target (the demo's embedded {@code cadre} database). */
  public FeedSettings withTarget(String url, String user, String password) {
    return new FeedSettings(url, user, password, dropDir, periodTypes);
  }

  /** The target URL as printed: a password given in the URL is masked. */
  public String targetDisplay() {
    return targetUrl == null ? null : targetUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public String toString() { // never print the password
    return "FeedSettings[targetUrl=" + targetDisplay() + ", targetUser=" + targetUser + ", dropDir=" + dropDir
        + ", periodTypes=" + periodTypes + "]";
  }
}
