package org.kaoping.config;

import java.util.function.Supplier;


/**
 * Settings of {@code kaoping serve}: where the control API listens, its token, and the build schedule.
 *
 * @param buildIntervalSeconds least seconds between the starts of scheduled builds (0: no scheduled builds)
 */
public record ServiceSettings(String host, int port, String token, int buildIntervalSeconds) {
  public static final int TOKEN_MIN_LENGTH = 16;
  public static final ConfigArea AREA = new ConfigArea("service");
  public static final ConfigKey<String> HOST = AREA.add(ConfigKey.text("service.host", "127.0.0.1",
      "Address the control API listens on; loopback by default (set 0.0.0.0 only behind a firewall or proxy)"));
  public static final ConfigKey<Integer> PORT = AREA.add(ConfigKey.integer("service.port", 8765, "Port of the control API")
      .check(p -> p >= 1 && p <= 65535, "must be a port between 1 and 65535"));
  public static final ConfigKey<String> TOKEN = AREA.add(ConfigKey.text("service.token", null,
      "Bearer token every API call but /health must carry, at least " + TOKEN_MIN_LENGTH
          + " characters (better: env KAOPING_SERVICE_TOKEN)").env("KAOPING_SERVICE_TOKEN").secret());
  public static final ConfigKey<Integer> BUILD_INTERVAL = AREA.add(ConfigKey.integer("service.build-interval-seconds", 20,
      "Least seconds between the starts of the service's builds; newly captured changes start an incremental build and publish as soon as this much time passed since the last one started (0: no scheduled builds)")
      .check(s -> s >= 0, "must be 0 or more seconds"));

  /** The same settings on another port (0: any free one, for tests). */
  public ServiceSettings withPort(int newPort) {
    return new ServiceSettings(host, newPort, token, buildIntervalSeconds);
  }

  /**
   * The service's settings; only the service binds them, so other commands need no token.
   *
   * @param whenUnset a token (e.g. one generated for this home) if none is configured; null: none
   * @throws KaopingConfig.ConfigException naming the key: a missing or short token
   */
  public static ServiceSettings bind(KaopingConfig config, Supplier<String> whenUnset) {
    String token = config.get(TOKEN);
    if (token == null && whenUnset != null) {
      token = whenUnset.get();
    }
    if (token == null || token.strip().length() < TOKEN_MIN_LENGTH) {
      throw new KaopingConfig.ConfigException("Configuration key '" + TOKEN.name() + "' (or env " + TOKEN.env()
          + ") must hold a secret of at least " + TOKEN_MIN_LENGTH + " characters"
          + (token == null || token.isBlank() ? "; none is set" : "; it is too short")
          + " (e.g. export " + TOKEN.env() + "=$(openssl rand -hex 24)).");
    }
    return new ServiceSettings(config.get(HOST), config.get(PORT), token.strip(), config.get(BUILD_INTERVAL));
  }

  @Override
  public String toString() { // never the token
    return "ServiceSettings[host=" + host + ", port=" + port + ", buildIntervalSeconds=" + buildIntervalSeconds + "]";
  }
}
