package org.kaoping.config;

import org.kaoping.delivery.serving.ServingPublisher;

/**
 * The serving database {@code kaoping publish} writes and dashboards read; passwords may come from the environment.
 *
 * @param jdbcUrl null: database {@code serving} of the embedded PostgreSQL of {@code <home>/sources}
 */
public record ServingSettings(String jdbcUrl, String user, String password, String readerUser, String readerPassword) {
  public static final ConfigArea AREA = new ConfigArea("serving");
  public static final ConfigKey<String> JDBC_URL = AREA.add(ConfigKey.text("serving.jdbc-url", null,
      "JDBC URL of the serving PostgreSQL; default: database 'serving' in the embedded PostgreSQL of <home>/sources")
      .check(u -> u.startsWith("jdbc:postgresql:"), "must be a PostgreSQL JDBC URL like jdbc:postgresql://host:5432/serving"));
  public static final ConfigKey<String> USER = AREA.add(ConfigKey.text("serving.user", "kaoping_writer",
      "User Kaoping publishes as (the writer; owns schemas kaoping and kaoping_store)"));
  public static final ConfigKey<String> PASSWORD = AREA.add(ConfigKey.text("serving.password", null,
      "The writer's password; or set the environment variable KAOPING_SERVING_PASSWORD")
      .env("KAOPING_SERVING_PASSWORD").secret());
  public static final ConfigKey<String> READER = AREA.add(ConfigKey.text("serving.reader-user", "kaoping_reader",
      "Read-only role for dashboards and analysts: SELECT on schema kaoping only (created if missing)"));
  public static final ConfigKey<String> READER_PASSWORD = AREA.add(ConfigKey.text("serving.reader-password", null,
      "If set, Kaoping sets the read-only role's password to it; or set KAOPING_SERVING_READER_PASSWORD")
      .env("KAOPING_SERVING_READER_PASSWORD").secret());

  public static ServingSettings bind(KaopingConfig config) {
    return new ServingSettings(config.get(JDBC_URL), config.get(USER), config.get(PASSWORD), config.get(READER),
        config.get(READER_PASSWORD));
  }

  /** The configured serving database as the publisher writes to it; null when {@code serving.jdbc-url} is not set. */
  public ServingPublisher.Target target() {
    return jdbcUrl == null ? null : new ServingPublisher.Target(jdbcUrl, user, password, readerUser, readerPassword);
  }

  @Override
  public String toString() { // never the passwords
    return "ServingSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", readerUser=" + readerUser + "]";
  }
}
