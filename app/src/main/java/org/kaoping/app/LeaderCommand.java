package org.kaoping.app;

import java.util.concurrent.Callable;

import org.kaoping.config.KaopingConfig.ConfigException;
import org.kaoping.dashboards.superset.DashboardDeployment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "leader", mixinStandardHelpOptions = true,
    description = {"Create or update the Superset login of a unit's leader.",
        "Create (or update) the Superset login of a unit's leader: every dashboard then shows that",
        "unit's rows only. The password comes from the environment variable KAOPING_LEADER_PASSWORD.",
        "Superset's admin password: KAOPING_SUPERSET_PASSWORD, else the one 'kaoping up' kept in",
        "<home>/superset/admin-password. Deploy the dashboards first (they create the unit's role)."})
final class LeaderCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Mixin SupersetOptions superset;

  @Option(names = "--unit", required = true, paramLabel = "ID", description = "The unit's id (unit_id in the serving database).")
  long unit;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "The leader's user name in Superset.")
  String user;

  @Override
  public Integer call() {
    String password = System.getenv("KAOPING_LEADER_PASSWORD");
    if (password == null || password.isBlank()) {
      throw new ConfigException("Set the leader's password in the environment variable KAOPING_LEADER_PASSWORD.");
    }
    DashboardDeployment.leader(superset.login(options.load()), unit, user, password);
    System.out.println("User " + user + " of unit " + unit + " can log in to " + superset.url
        + " and sees only that unit's rows.");
    return 0;
  }
}
