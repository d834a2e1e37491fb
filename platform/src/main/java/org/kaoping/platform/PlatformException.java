package org.kaoping.platform;

/** A platform part could not be installed or started; the message says what to do. */
public final class PlatformException extends RuntimeException {
  public PlatformException(String message) {
    super(message);
  }

  public PlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
