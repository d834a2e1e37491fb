package org.kaoping.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kaoping.config.KaopingConfig;
import org.kaoping.demo.CopyLoader;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.EmbeddedSourceServer.LoadedState;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.warehouse.WarehouseLock;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Fill empty demo sources with a generated world by COPY.",
        "Fill the demo's empty source databases (<home>/sources) with the generated world as it stands on --until",
        "(evening), by COPY: the existing state a new Kaoping installation finds; the next 'kaoping demo' or",
        "'kaoping ingest' snapshots it. About 7,900 work logs per unit up to 15 December: --units 3800 is a Linyi year",
        "(about 30 million work logs). Prints the rows and rows/s per table and overall.",
        "With --advance-days N on sources that already hold a world, adds its next N working days of activity",
        "instead (new logs, reviews and cases, status changes), generated one unit at a time in bounded memory: the",
        "next 'kaoping ingest' captures them as changes, and 'kaoping build' refreshes what they touched."})
final class GenerateCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Spec CommandSpec spec;

  @Option(names = "--units", description = "Number of units to generate (required to fill empty sources; an advanced"
      + " world keeps the units it was generated with).")
  Integer units;

  @Option(names = "--seed", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed = DemoScale.DEFAULT_SEED;

  @Option(names = "--until", description = "The day the history runs to, in the demo year (default: ${DEFAULT-VALUE}).")
  LocalDate until = LocalDate.of(DemoScale.DEFAULT_YEAR, DemoCommand.FIRST_RUN_MONTH, DemoCommand.FIRST_RUN_DAY);

  @Option(names = "--advance-days", description = "Add this many working days of activity to the world the sources"
      + " already hold, instead of filling empty sources.")
  Integer advanceDays;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    PrintStream out = System.out;
    if (units == null && advanceDays == null) {
      throw new ParameterException(spec.commandLine(), "Say how many units to generate (--units N), or add days of"
          + " activity to the world the sources hold (--advance-days N).");
    }
    LocalDateTime at = until.atTime(20, 0);
    Path sourcesDir = config.home().resolve("sources");
    try (WarehouseLock ingestLock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.INGEST, "kaoping generate");
         EmbeddedSourceServer server = EmbeddedSourceServer.start(sourcesDir)) {
      server.ensureSourceSchemas();
      LoadedState state = server.loadedState();
      if (advanceDays != null) {
        return advance(server, state, config, out);
      }
      if (state != null) {
        out.println("kaoping generate: " + sourcesDir + " already holds a world (--units " + state.scale().units()
            + " --seed " + state.scale().seed() + ", as of " + state.asOf() + "); use another --home, or add days"
            + " of activity to it with --advance-days N");
        return 1;
      }
      DemoScale scale = new DemoScale(seed, units, DemoScale.DEFAULT_YEAR);
      out.println("Generating " + units + " units (seed " + seed + ") as of " + at + " into " + sourcesDir + " by COPY");
      CopyLoader.Result result = CopyLoader.load(server, WorldGenerator.of(scale, config.calendar()), at,
          line -> out.println("  " + line));
      server.recordLoadedState(new LoadedState(at, scale));
      out.println(Table.pad("table", 20) + Table.padLeft("rows", 14) + Table.padLeft("COPY s", 9) + Table.padLeft("rows/s", 13));
      for (Map.Entry<String, Long> e : result.rows().entrySet()) {
        double s = result.copySeconds().getOrDefault(e.getKey(), 0.0);
        out.println(Table.pad(e.getKey(), 20) + Table.padLeft(String.format("%,d", e.getValue()), 14)
            + Table.padLeft(String.format("%.1f", s), 9)
            + Table.padLeft(s > 0 ? String.format("%,.0f", e.getValue() / s) : "-", 13));
      }
      long total = result.totalRows();
      double all = result.loadSeconds() + result.restoreSeconds();
      out.println(String.format("%,d rows in %.1f s: %,.0f rows/s generated and copied, %,.0f rows/s with the %.1f s"
          + " of recreating indexes and foreign keys", total, all, total / result.loadSeconds(), total / all,
          result.restoreSeconds()));
    }
    return 0;
  }

  /** Adds --advance-days working days of activity to the world the sources hold, unit by unit. */
  private int advance(EmbeddedSourceServer server, LoadedState state, KaopingConfig config, PrintStream out)
      throws Exception {
    if (state == null) {
      out.println("kaoping generate: the sources hold no generated world to advance; run 'kaoping generate --units N'"
          + " first");
      return 1;
    }
    if (advanceDays < 1) {
      out.println("kaoping generate: --advance-days must be at least 1 (was " + advanceDays + ")");
      return 2;
    }
    DemoScale world = state.scale();
    if (units != null && units != world.units()) {
      out.println("kaoping generate: these sources hold a world of " + world.units() + " units; advancing that one");
    }
    LocalDateTime to = config.calendar().plusWorkingDays(state.asOf().toLocalDate(), advanceDays).atTime(20, 0);
    out.println("Advancing the world of " + world.units() + " units (seed " + world.seed() + ") from " + state.asOf()
        + " to " + to + ", one unit at a time");
    long started = System.nanoTime();
    Map<String, Integer> written;
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      written = SourceLoader.advanceUnitByUnit(WorldGenerator.of(world, config.calendar()), state.asOf(), to, w, a);
    }
    server.recordLoadedState(new LoadedState(to, world));
    double seconds = (System.nanoTime() - started) / 1e9;
    long total = written.values().stream().mapToLong(Integer::longValue).sum();
    written.forEach((table, rows) -> out.println(Table.pad(table, 20) + Table.padLeft(String.format("%,d", rows), 14)));
    out.println(String.format("%,d rows inserted or updated in %.1f s; the sources now stand at %s", total, seconds, to));
    return 0;
  }
}
