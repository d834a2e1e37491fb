package org.kaoping.app.feed;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the cadre-management feed goes: a JDBC target (optional; {@code null} URL: files only) and the
 * file drop directory, and which period types are delivered by default.
 */
public record FeedSettings(String targetUrl, String targetUser, String targetPassword, Path dropDir,
    List<String> periodTypes) {
  @Override
  public String toString() { // never print the password
    return "FeedSettings[targetUrl=" + targetUrl + ", targetUser=" + targetUser + ", dropDir=" + dropDir
        + ", periodTypes=" + periodTypes + "]";
  }
}
