package org.kaoping.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kaoping.app.bench.PipelineBench;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.WarehouseSettings;
import org.kaoping.demo.DemoScale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"Benchmark every pipeline step beside a peer, in one run.",
        "Benchmark the whole pipeline on a generated world, each step beside a peer measured in the same run.",
        "Steps: generate the sources' history; Kaoping's initial load beside Debezium's own snapshot of the same tables;",
        "--stream-days of changes captured beside Debezium's engine with a consumer that does nothing; the full build",
        "(seconds per table) beside DuckDB computing the headline metrics from the same Iceberg snapshots (checked equal);",
        "a full publish; one working day of new activity, its incremental build and publish. Prints seconds, rates, peak",
        "heap and peak RSS of every step and the ratios with their targets, and writes them to <bench home>/bench-results.md.",
        "Run it with KAOPING_JAVA_OPTS=-Xmx4g to hold every step to the 4 GiB heap target."})
final class PipelineBenchCommand implements Callable<Integer> {
  @Option(names = "--units", description = "Units of the generated world (default: ${DEFAULT-VALUE}).")
  int units = DemoScale.DEFAULT_UNITS;

  @Option(names = "--seed", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed = DemoScale.DEFAULT_SEED;

  @Option(names = "--stream-days", description = "Working days of changes the streaming step captures (default: ${DEFAULT-VALUE}).")
  int streamDays = 20;

  @Option(names = "--home", paramLabel = "DIR",
      description = "The benchmark's own home, deleted and made afresh (default: ./kaoping-data/bench/u<units>).")
  Path home;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    Path dir = (home != null ? home : Path.of("kaoping-data", "bench", "u" + units)).toAbsolutePath().normalize();
    PipelineBench.prepare(dir);
    Map<String, String> settings = new LinkedHashMap<>(overrides);
    settings.put(WarehouseSettings.HOME.name(), dir.toString());
    KaopingConfig config = KaopingConfig.load(null, settings);
    Path report = new PipelineBench(config, new PipelineBench.Plan(units, seed, streamDays, 1), System.out).run();
    System.out.println("Figures written to " + report);
    return 0;
  }
}
