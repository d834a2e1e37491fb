package org.kaoping.app;

import java.net.URI;

import org.kaoping.dashboards.superset.SupersetClient;
import org.kaoping.app.KaopingConfig.ConfigException;

import picocli.CommandLine.Option;

/** Which Superset, as whom: options, or the environment for the password. */
final class SupersetOptions {
  @Option(names = "--superset-url", required = true, paramLabel = "URL", description = "Superset's address, e.g. http://127.0.0.1:8088")
  URI url;

  @Option(names = "--superset-user", paramLabel = "NAME", defaultValue = "${env:KAOPING_SUPERSET_USER:-admin}",
      description = "An admin user of Superset (default: env KAOPING_SUPERSET_USER, else admin).")
  String user;

  @Option(names = "--superset-password", paramLabel = "PASSWORD", defaultValue = "${env:KAOPING_SUPERSET_PASSWORD}",
      description = "Its password; better: env KAOPING_SUPERSET_PASSWORD.")
  String password;

  SupersetClient login() {
    if (password == null || password.isBlank()) {
      throw new ConfigException("No Superset password: set KAOPING_SUPERSET_PASSWORD (or --superset-password).");
    }
    return SupersetClient.login(url, user, password);
  }
}
