package org.kaoping.app.service;

/**
 * Settings of {@code kaoping serve}: where the control API listens, its token, and the build schedule.
 *
 * @param buildIntervalSeconds least seconds between the starts of scheduled builds (0: no scheduled builds)
 */
public record ServiceSettings(String host, int port, String token, int buildIntervalSeconds) {
  public static final int TOKEN_MIN_LENGTH = 16;

  /** The same settings on another port (0: any free one, for tests). */
  public ServiceSettings withPort(int newPort) {
    return new ServiceSettings(host, newPort, token, buildIntervalSeconds);
  }

  @Override
  public String toString() { // never the token
    return "ServiceSettings[host=" + host + ", port=" + port + ", buildIntervalSeconds=" + buildIntervalSeconds + "]";
  }
}
