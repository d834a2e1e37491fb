package org.kaoping.dashboards.superset;

/** Superset refused, was unreachable or could not be started; the message is one sentence saying which. */
public final class SupersetException extends RuntimeException {
  public SupersetException(String message) {
    super(message);
  }

  public SupersetException(String message, Throwable cause) {
    super(message, cause);
  }
}
