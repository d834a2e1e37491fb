package org.kaoping.jobs.scoring;

/** A scoring scheme that cannot be used; the message names the file, the place and the problem. */
public final class SchemeException extends IllegalArgumentException {
  public SchemeException(String message) {
    super(message);
  }
}
