package org.kaoping.warehouse;

/** The innermost cause of a failure, for one-sentence error messages. */
public final class RootCause {
  private RootCause() {}

  /** The message of the deepest cause, or its class name when it has none. */
  public static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
