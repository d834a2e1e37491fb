package org.kaoping.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.kaoping.app.service.Service;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.ServiceSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run as a service: capture, build and publish, with an API.",
        "Run Kaoping as a service: one Debezium engine per source kept running (exactly once, heartbeats on),",
        "an incremental build and publish as soon as new changes were captured (at most one build start per",
        "service.build-interval-seconds),",
        "and the control API on service.host:service.port (token: service.token or env KAOPING_SERVICE_TOKEN):",
        "runs of kind ingest, build, publish, build_and_publish (the two as one run), feed, report, remind;",
        "/api/status, /metrics (Prometheus), /openapi.yaml, /health.",
        "Without source.* keys it starts the embedded PostgreSQL of <home>/sources (the demo's) itself, and without",
        "serving.jdbc-url the serving database's own in <home>/serving-db.",
        "Ctrl-C or SIGTERM stops cleanly: no new runs, the batch in hand committed, runs in progress finished."})
final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    ServiceSettings settings = config.serviceSettings();
    CountDownLatch stop = new CountDownLatch(1);
    try (GracefulStop signals = GracefulStop.install(stop::countDown, System.out::println);
         Service service = Service.start(config, settings, null, System.out::println)) {
      System.out.println("Kaoping service listening on http://" + settings.host() + ":" + service.port()
          + " (GET /health; everything else needs 'Authorization: Bearer <token>'; API description at /openapi.yaml)");
      if (settings.buildIntervalSeconds() > 0) {
        System.out.println("Builds and publishes newly captured changes as they come, starting at most one build every "
            + settings.buildIntervalSeconds() + " s");
      }
      stop.await();
    }
    return 0;
  }
}
