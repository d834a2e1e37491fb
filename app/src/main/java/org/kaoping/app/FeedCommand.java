package org.kaoping.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.feed.FeedDelivery;
import org.kaoping.delivery.feed.FeedFiles;
import org.kaoping.delivery.feed.FeedSettings;
import org.kaoping.delivery.feed.FeedTarget.FeedException;
import org.kaoping.delivery.feed.FeedTarget;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "feed", mixinStandardHelpOptions = true,
    description = {"The cadre-management score feed (docs/feed.md).",
        "The feed (docs/feed.md): per unit and person and period, the score,",
        "grade, rank, every indicator's value and points, penalties, bonus, the scheme and where it came from."},
    subcommands = {FeedCommand.Deliver.class, FeedCommand.History.class})
final class FeedCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("Use 'kaoping feed deliver' or 'kaoping feed history --period P' (see --help).");
  }

  @Command(name = "deliver", mixinStandardHelpOptions = true,
      description = {"Deliver a publication's scores to the file drop and target.",
          "Deliver a publication's scores to the file drop (feed.drop-dir, default <home>/feed: CSV, JSON Lines",
          "and a manifest per period and version) and, if feed.target-url is set, to that database in one transaction.",
          "Only complete periods of the types in feed.period-types (default QUARTER,YEAR) unless --period or",
          "--provisional say otherwise. An unchanged period is left as it is (no new version); a changed one",
          "becomes a new version with its reason; earlier versions stay readable."})
  static final class Deliver implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(names = "--publication", paramLabel = "ID", description = "Publication to deliver (default: the latest).")
    Long publication;

    @Option(names = "--period", paramLabel = "P", description = "Period to deliver, e.g. 2025-Q3, 2025, 2025-09; repeatable"
        + " (default: every period of the types in feed.period-types).")
    List<String> periods = new ArrayList<>();

    @Option(names = "--provisional", description = "Also deliver periods that are not complete yet; every such row says"
        + " is_provisional=true.")
    boolean provisional;

    @Override
    public Integer call() throws Exception {
      KaopingConfig config = options.load();
      FeedSettings settings = config.feedSettings();
      FeedDelivery.Summary summary;
      try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.FEED, "kaoping feed deliver");
           WarehouseCatalog warehouse = new Pipeline(config, System.out::println).openWarehouse()) {
        summary = FeedDelivery.deliver(warehouse, settings, publication, periods, provisional, System.out::println);
      } catch (FeedException e) {
        System.err.println("kaoping: " + e.getMessage());
        return 1;
      }
      System.out.println("Publication " + summary.publicationId() + ": " + summary.created() + " new version(s), "
          + (summary.periods().size() - summary.created()) + " unchanged.");
      return 0;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = {"List every version of a period's feed.",
          "Every version in the file drop and, if feed.target-url is set, in the target:"
          + " version, publication, scheme, rows, provisional, checksum and the reason it was made."})
  static final class History implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(names = "--period", paramLabel = "P", required = true, description = "Period, e.g. 2025-Q3.")
    String period;

    @Override
    public Integer call() throws Exception {
      KaopingConfig config = options.load();
      FeedSettings settings = config.feedSettings();
      FeedFiles files = new FeedFiles(settings.dropDir());
      System.out.println("File drop " + files.root().resolve(period) + ":");
      List<Integer> versions = files.versions(period);
      if (versions.isEmpty()) {
        System.out.println("  no version");
      }
      for (int v : versions) {
        JsonNode m = files.manifest(period, v);
        System.out.println("  v" + v + "  publication " + m.get("publication_id").asLong() + "  " + m.get("delivered_at").asText()
            + "  " + m.get("row_counts").get("total").asInt() + " rows" + (m.get("provisional").asBoolean() ? "  PROVISIONAL" : "")
            + "  scheme " + m.get("scheme_name").asText() + " " + m.get("scheme_version").asText().substring(0, 12)
            + "  content " + m.get("content_sha256").asText().substring(0, 12) + "  " + m.get("reason").asText());
      }
      if (settings.targetUrl() != null) {
        try (FeedTarget target = FeedTarget.open(settings)) {
          System.out.println("Target " + settings.targetDisplay() + " (cadre_feed_version):");
          List<Map<String, Object>> rows = target.history(period);
          if (rows.isEmpty()) {
            System.out.println("  no version");
          }
          for (Map<String, Object> r : rows) {
            System.out.println("  v" + r.get("feed_version") + "  publication " + r.get("publication_id") + "  "
                + r.get("delivered_at") + "  " + r.get("row_count") + " rows"
                + (Boolean.TRUE.equals(r.get("is_provisional")) ? "  PROVISIONAL" : "") + "  scheme " + r.get("scheme_name")
                + " " + String.valueOf(r.get("scheme_version")).substring(0, 12) + "  content "
                + String.valueOf(r.get("content_sha256")).substring(0, 12) + "  " + r.get("reason"));
          }
        } catch (FeedException e) {
          System.err.println("kaoping: " + e.getMessage());
          return 1;
        }
      }
      return 0;
    }
  }
}
