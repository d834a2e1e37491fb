package org.kaoping.app;

import java.net.URI;
import java.nio.file.Path;

import org.kaoping.config.KaopingConfig;
import org.kaoping.config.KaopingConfig.ConfigException;
import org.kaoping.dashboards.superset.SupersetClient;
import org.kaoping.dashboards.superset.SupersetServer;

import picocli.CommandLine.Option;

/** Which Superset, as whom: options or the environment, else the admin password 'kaoping up' kept in the home. */
final class SupersetOptions {
  @Option(names = "--superset-url", required = true, paramLabel = "URL", description = "Superset's address, e.g. http://127.0.0.1:8088")
  URI url;

  @Option(names = "--superset-user", paramLabel = "NAME", defaultValue = "${env:KAOPING_SUPERSET_USER:-admin}",
      description = "An admin user of Superset (default: env KAOPING_SUPERSET_USER, else admin).")
  String user;

  @Option(names = "--superset-password", paramLabel = "PASSWORD", defaultValue = "${env:KAOPING_SUPERSET_PASSWORD}",
      description = "Its password; better: env KAOPING_SUPERSET_PASSWORD. Else, for admin, the one 'kaoping up' kept in"
          + " <home>/superset/admin-password.")
  String password;

  /**
   * Logs in with the password given (option, else KAOPING_SUPERSET_PASSWORD), as {@code up} does; without one, as
   * admin with the password {@code up} kept in the home.
   *
   * @throws ConfigException naming where it looked and what to set, when there is no password
   */
  SupersetClient login(KaopingConfig config) {
    if (password != null && !password.isBlank()) {
      return SupersetClient.login(url, user, password);
    }
    Path state = UpCommand.supersetState(config);
    Path kept = SupersetServer.adminPasswordFile(state);
    if (!user.equals(SupersetServer.ADMIN)) {
      throw new ConfigException("No Superset password for user '" + user + "': set KAOPING_SUPERSET_PASSWORD (or"
          + " --superset-password); the one 'kaoping up' keeps in " + kept + " is " + SupersetServer.ADMIN + "'s.");
    }
    String keptPassword = SupersetServer.keptAdminPassword(state).orElseThrow(() ->
        new ConfigException("No Superset password: KAOPING_SUPERSET_PASSWORD is not set, nor --superset-password, and"
            + " there is no " + kept + " (kept by 'kaoping up' of this home). Set KAOPING_SUPERSET_PASSWORD, or pass"
            + " the --home of the 'kaoping up' that started this Superset."));
    return SupersetClient.login(url, user, keptPassword);
  }
}
