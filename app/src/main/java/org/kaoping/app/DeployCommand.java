package org.kaoping.app;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

import org.kaoping.config.KaopingConfig;
import org.kaoping.config.KaopingConfig.ConfigException;
import org.kaoping.dashboards.superset.AssetBundle;
import org.kaoping.dashboards.superset.DashboardDeployment.ServingDatabase;
import org.kaoping.dashboards.superset.DashboardDeployment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = {"Deploy the dashboards and their roles to a running Superset.",
        "Deploy the dashboards to a running Superset through its REST API: the database (the serving",
        "database of serving.jdbc-url, read as serving.reader-user with serving.reader-password or",
        "KAOPING_SERVING_READER_PASSWORD), datasets, charts and dashboards, then the roles kaoping_analyst and",
        "kaoping_committee (every row) and one role kaoping_unit_<id> per unit with a row-level security rule",
        "unit_id = '<id>' on every dataset that has that column. Idempotent: deploying twice changes nothing."})
final class DeployCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Mixin SupersetOptions superset;

  @Option(names = "--serving-host", paramLabel = "HOST",
      description = "Host name under which Superset reaches the serving database (default: the host of serving.jdbc-url).")
  String servingHost;

  @Option(names = "--assets", paramLabel = "DIR",
      description = "Deploy the bundle in DIR (laid out like dashboards/assets) instead of the built-in one.")
  java.nio.file.Path assets;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    String url = config.servingJdbcUrl();
    if (url == null) {
      throw new ConfigException("'kaoping dashboards deploy' needs the serving database Superset will query: set"
          + " serving.jdbc-url (for the demo's embedded database, run 'kaoping up' instead).");
    }
    URI parsed = URI.create(url.substring("jdbc:".length()));
    ServingDatabase serving = new ServingDatabase(servingHost != null ? servingHost : parsed.getHost(),
        parsed.getPort() > 0 ? parsed.getPort() : 5432, parsed.getPath().replaceFirst("^/", ""),
        config.servingReader(), config.servingReaderPassword());
    List<DashboardDeployment.Unit> units;
    try (Connection c = DriverManager.getConnection(url, config.servingReader(), config.servingReaderPassword())) {
      units = DashboardDeployment.units(c);
    } catch (SQLException e) {
      throw new ConfigException("Cannot read the units from the serving database " + url + " as "
          + config.servingReader() + " (serving.jdbc-url, serving.reader-user, serving.reader-password): " + e.getMessage());
    }
    DashboardDeployment.deploy(superset.login(config), assets != null ? AssetBundle.fromDirectory(assets) : AssetBundle.builtIn(), serving, units, System.out::println);
    return 0;
  }
}
