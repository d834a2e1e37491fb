package org.kaoping.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.kaoping.app.service.Service;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.ServiceSettings;
import org.kaoping.dashboards.superset.AssetBundle;
import org.kaoping.dashboards.superset.DashboardDeployment.ServingDatabase;
import org.kaoping.dashboards.superset.DashboardDeployment;
import org.kaoping.dashboards.superset.SupersetClient;
import org.kaoping.dashboards.superset.SupersetServer;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.demo.EmbeddedSourceServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Bring up the sources, the service and Superset on this machine.",
        "Bring the local platform up and keep it running until Ctrl-C or SIGTERM: the embedded",
        "PostgreSQL servers of the demo (the sources; the serving database), the Kaoping service (continuous capture, builds and",
        "publications of new changes, the control API; token from service.token / KAOPING_SERVICE_TOKEN, else generated",
        "once into <home>/service/token), Apache Superset (installed on first use into",
        "~/.cache/kaoping, its state in <home>/superset) with the dashboards deployed. Prints the URL and the login;",
        "the admin password is generated once and kept in <home>/superset/admin-password, or comes from",
        "KAOPING_SUPERSET_PASSWORD. Run 'kaoping demo' first."})
final class UpCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--port", description = "Superset's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port = 8088;

  @Option(names = "--assets", paramLabel = "DIR",
      description = "Deploy the bundle in DIR (laid out like dashboards/assets) instead of the built-in one.")
  java.nio.file.Path assets;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    long started = System.nanoTime();
    Path sources = config.home().resolve("sources");
    if (!Files.exists(sources.resolve("PG_VERSION"))) {
      throw new KaopingConfig.ConfigException("No demo data in " + config.home() + ": run './kaoping demo' first.");
    }
    CountDownLatch stop = new CountDownLatch(1);
    try (StartedParts parts = new StartedParts(System.out::println);
         GracefulStop signals = GracefulStop.install(stop::countDown, System.out::println,
             "stopping what was started")) {
      System.out.println("Starting the embedded PostgreSQL of the sources (" + sources + ") and of the serving database ("
          + EmbeddedServing.dataDirectory(config) + ")");
      EmbeddedSourceServer server = parts.add("PostgreSQL (sources)", EmbeddedSourceServer.start(sources));
      EmbeddedServing servingServer = parts.add("PostgreSQL (serving)", EmbeddedServing.start(config));
      ServingPublisher.Target serving = servingServer.target();
      List<DashboardDeployment.Unit> units = publishedUnits(serving, config);
      ServiceSettings settings = config.serviceSettings(() -> generatedToken(config.home().resolve("service")));
      Service service = parts.add("the Kaoping service", Service.start(config, settings, server, servingServer,
          line -> System.out.println("  " + line)));
      Path state = supersetState(config);
      String envPassword = System.getenv("KAOPING_SUPERSET_PASSWORD");
      String password = envPassword != null && !envPassword.isBlank() ? envPassword : SupersetServer.adminPassword(state);
      SupersetServer superset = parts.add("Superset", SupersetServer.start(state, ReportCommand.reports(config), port, password,
          line -> System.out.println("  " + line)));
      if (stop.getCount() == 0) {
        return 130;
      }
      SupersetClient client = SupersetClient.login(superset.url(), SupersetServer.ADMIN, password);
      DashboardDeployment.deploy(client, assets != null ? AssetBundle.fromDirectory(assets) : AssetBundle.builtIn(), new ServingDatabase("127.0.0.1", servingServer.port(),
          Serving.EMBEDDED_DATABASE, serving.readerRole(), config.servingReaderPassword()), units,
          line -> System.out.println("  " + line));
      System.out.println();
      System.out.printf("Kaoping is up in %.0f s. Dashboards: %s — user %s, password %s%n",
          (System.nanoTime() - started) / 1e9, superset.url(), SupersetServer.ADMIN,
          envPassword != null && !envPassword.isBlank() ? "from KAOPING_SUPERSET_PASSWORD"
              : "in " + SupersetServer.adminPasswordFile(state) + " (" + password + ")");
      System.out.println("Control API: http://" + settings.host() + ":" + service.port() + " (token: "
          + (config.isSet(ServiceSettings.TOKEN) ? "as configured"
              : "in " + config.home().resolve("service").resolve("token")) + "); new changes are built and published as they come, at most one build start every "
          + settings.buildIntervalSeconds() + " s");
      System.out.println("Evaluation reports (PDF) of " + ReportCommand.reports(config) + ", to each reader those they may"
          + " read: " + superset.url().resolve("kaoping/reports/"));
      System.out.println(Serving.howToConnect(serving));
      System.out.println("Press Ctrl-C to stop.");
      while (!stop.await(2, TimeUnit.SECONDS)) {
        if (!superset.isAlive()) {
          throw new IllegalStateException("Superset stopped unexpectedly; its output is in " + state.resolve("superset.log"));
        }
      }
    }
    System.out.println("Stopped.");
    return 0;
  }

  /** Where {@code up} keeps Superset's state (metadata, secret key, the admin's password, log) in a home. */
  static Path supersetState(KaopingConfig config) {
    return config.home().resolve("superset");
  }

  /** The token of this home's service, generated once (24 random bytes, hex) and kept readable by the owner only. */
  static String generatedToken(Path dir) {
    try {
      Path file = dir.resolve("token");
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      Files.createDirectories(dir);
      byte[] bytes = new byte[24];
      new java.security.SecureRandom().nextBytes(bytes);
      String token = java.util.HexFormat.of().formatHex(bytes);
      Path partial = dir.resolve("token.partial");
      Files.deleteIfExists(partial);
      Files.createFile(partial, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(partial, token + "\n");
      Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return token;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot keep the service token in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The units in the serving database, which must hold a publication. */
  private static List<DashboardDeployment.Unit> publishedUnits(ServingPublisher.Target serving, KaopingConfig config)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(serving.jdbcUrl(), serving.readerRole(), config.servingReaderPassword())) {
      List<DashboardDeployment.Unit> units = DashboardDeployment.units(c);
      if (units.isEmpty()) {
        throw new KaopingConfig.ConfigException("The serving database holds no scores yet: run './kaoping demo' first.");
      }
      return units;
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        throw new KaopingConfig.ConfigException("Nothing is published in the serving database yet: run './kaoping demo' first.");
      }
      throw e;
    }
  }
}
