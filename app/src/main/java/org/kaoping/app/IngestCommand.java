package org.kaoping.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.kaoping.config.KaopingConfig;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.ingestion.CaptureRunner;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Capture every configured source into the raw layer.",
        "The sources are those of the keys sources and source.<name>.*; with none of the latter set, a home whose",
        "sources/ holds the embedded demo databases (kaoping demo, kaoping generate) is captured from them.",
        "A run reads each source's WAL position when it starts and ends once everything up to that position is",
        "committed in the warehouse ('caught up to LSN …'), however long the engine takes to start.",
        "The first run reads each source's existing rows (in parallel chunks from the replication slot's snapshot,",
        "see ingest.initial-load); later runs resume from the offset committed in the warehouse.",
        "Ctrl-C or SIGTERM stops cleanly: the batch in hand is committed or dropped whole.",
        "Exit codes: 0 caught up (or, with --follow, stopped on request after the initial load), 1 failure,",
        "2 configuration error, 3 stopped before catching up (or before the initial load finished)."})
final class IngestCommand implements Callable<Integer> {
  static final int STOPPED_BEFORE_CAUGHT_UP = 3;

  @Mixin ConfigOptions options;

  @Option(names = "--follow", description = "Keep capturing until stopped (Ctrl-C or SIGTERM) instead of ending once caught up.")
  boolean follow;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    Pipeline pipeline = new Pipeline(config, System.out::println);
    CaptureRunner.Mode mode = follow ? CaptureRunner.Mode.FOLLOW : CaptureRunner.Mode.CATCH_UP;
    List<CaptureRunner.Result> results;
    Path embedded = config.home().resolve("sources");
    boolean demoSources = !config.sourcesConfigured() && Files.isDirectory(embedded);
    try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.INGEST, "kaoping ingest");
         EmbeddedSourceServer server = demoSources ? EmbeddedSourceServer.start(embedded) : null;
         GracefulStop signals = GracefulStop.install(pipeline::stop, System.out::println);
         WarehouseCatalog warehouse = pipeline.openWarehouse()) {
      if (server != null) {
        System.out.println("Capturing the embedded demo sources in " + embedded + " (port " + server.port() + ")");
      }
      results = pipeline.ingest(warehouse, server == null ? null : "127.0.0.1", server == null ? null : server.port(), mode);
    }
    // a stop on request ends --follow as asked, unless it left a source's initial load unfinished
    if (results.stream().anyMatch(CaptureRunner.Result::initialLoadUnfinished) || !follow
        && (results.size() < config.sourceNames().size() || results.stream().anyMatch(r -> r.reachedLsn() < r.targetLsn()))) {
      System.err.println("kaoping: stopped before catching up; the next 'kaoping ingest' resumes from the last committed batch.");
      return STOPPED_BEFORE_CAUGHT_UP;
    }
    return 0;
  }
}
