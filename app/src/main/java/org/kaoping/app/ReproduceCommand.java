package org.kaoping.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.reproduction.Reproduction;
import org.kaoping.delivery.serving.PublicationLog.Publication;
import org.kaoping.delivery.serving.PublicationLog;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.WarehouseCatalog;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = {"Recompute a publication's scores and compare them.",
        "Recompute a publication's scores from the warehouse snapshots it recorded (Iceberg time travel)",
        "with the scheme text it recorded, and compare them row for row with the scores it published:",
        "per table the rows and a checksum of each side, and the rows that differ. Exits 0 when identical, 1 on any",
        "difference."})
final class ReproduceCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Which which;

  static final class Which {
    @Option(names = "--publication", paramLabel = "ID", description = "Publication to reproduce (default: the latest).")
    Long publication;

    @Option(names = "--period", paramLabel = "P", description = "Reproduce period P (e.g. 2025-Q3) as the feed last"
        + " delivered it: the publication of its latest version in the file drop (else the latest publication),"
        + " comparing that period's rows.")
    String period;
  }

  @Option(names = "--scheme-file", paramLabel = "FILE", description = "Recompute with this scheme instead of the recorded"
      + " one, to see which published scores it would change (then a difference is expected).")
  Path schemeFile;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    Pipeline pipeline = new Pipeline(config, System.out::println);
    ScoringScheme scheme = schemeFile == null ? null : ScoringScheme.load(schemeFile);
    try (WarehouseCatalog warehouse = pipeline.openWarehouse()) {
      Publication p = publication(warehouse, config);
      System.out.println("Reproducing publication " + p.publicationId() + " (build " + p.buildId() + ", as of "
          + p.asOfDate() + ", published " + p.publishedAt() + ")");
      try (SparkSession spark = pipeline.spark()) {
        String period = which != null ? which.period : null;
        Reproduction.Result r = Reproduction.run(spark, p, scheme, period);
        if (period != null) {
          System.out.println("comparing the rows of period " + period);
        }
        System.out.println("scheme " + r.schemeName() + " " + r.schemeVersion()
            + (scheme == null ? " (as recorded)" : " (from " + schemeFile + "; recorded: " + p.schemeVersion() + ")"));
        Reproduction.neededSnapshots(p).forEach((t, id) -> System.out.println("  " + Table.pad(t, 32) + " snapshot " + id));
        System.out.println(Table.pad("table", 32) + Table.padLeft("published", 10) + Table.padLeft("recomputed", 11)
            + "  checksum published / recomputed");
        for (Reproduction.TableResult t : r.tables()) {
          System.out.println(Table.pad(t.table(), 32) + Table.padLeft(Long.toString(t.recordedRows()), 10)
              + Table.padLeft(Long.toString(t.recomputedRows()), 11) + "  " + t.recordedChecksum() + " / "
              + t.recomputedChecksum() + (t.identical() ? "  identical" : "  DIFFERENT"));
        }
        for (Reproduction.TableResult t : r.tables()) {
          list("published only", t.table(), t.onlyRecorded(), t.onlyRecordedRows());
          list("recomputed only", t.table(), t.onlyRecomputed(), t.onlyRecomputedRows());
        }
        System.out.println(r.identical() ? "Publication " + p.publicationId() + " reproduced exactly, row for row."
            : "Publication " + p.publicationId() + " was NOT reproduced: see the rows above.");
        return r.identical() ? 0 : 1;
      }
    }
  }

  /** The first rows only one side has ({@code rows}, of {@code total}). */
  private static void list(String side, String table, List<String> rows, long total) {
    for (String row : rows) {
      System.out.println("  " + side + " " + table + ": " + row);
    }
    if (total > rows.size()) {
      System.out.println("  … and " + (total - rows.size()) + " more " + side + " rows of " + table);
    }
  }

  private Publication publication(WarehouseCatalog warehouse, KaopingConfig config) {
    if (!warehouse.catalog().tableExists(PublicationLog.TABLE)) {
      throw new IllegalStateException("Nothing has been published yet (no " + PublicationLog.TABLE + "): run 'kaoping publish'.");
    }
    PublicationLog log = PublicationLog.open(warehouse);
    if (which != null && which.publication != null) {
      return log.byId(which.publication).orElseThrow(() -> new IllegalStateException("Publication " + which.publication
          + " does not exist; the latest is " + log.latest().map(x -> Long.toString(x.publicationId())).orElse("none") + "."));
    }
    if (which != null && which.period != null) {
      org.kaoping.delivery.feed.FeedFiles files = new org.kaoping.delivery.feed.FeedFiles(config.feedSettings().dropDir());
      List<Integer> versions = files.versions(which.period);
      if (!versions.isEmpty()) {
        long id = files.manifest(which.period, versions.get(versions.size() - 1)).get("publication_id").asLong();
        System.out.println("period " + which.period + ": feed version " + versions.get(versions.size() - 1)
            + " in " + files.root() + " came from publication " + id);
        return log.byId(id).orElseThrow(() -> new IllegalStateException("Publication " + id + " named by the feed's"
            + " manifest is not in " + PublicationLog.TABLE + "."));
      }
      System.out.println("period " + which.period + ": not in the feed's file drop; reproducing the latest publication");
    }
    return log.latest().orElseThrow(() -> new IllegalStateException("Nothing has been published yet: run 'kaoping publish'."));
  }
}
