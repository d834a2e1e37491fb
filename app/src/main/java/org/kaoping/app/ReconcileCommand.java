package org.kaoping.app;

import java.io.PrintWriter;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.kaoping.config.KaopingConfig;
import org.kaoping.ingestion.SourceConnection;
import org.kaoping.jobs.quality.Reconciliation;
import org.kaoping.jobs.quality.ReconciliationLog;
import org.kaoping.warehouse.WarehouseCatalog;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = {"Compare each source table with the warehouse.",
        "Compare each source table with the warehouse: row count and a content checksum of the source",
        "against staging plus the rows set aside as EXCLUDED. Exit 1 naming the tables that differ, 0 if none does.",
        "Each run's result per table is recorded in ops.reconciliation."})
final class ReconcileCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    PrintWriter out = spec.commandLine().getOut();
    List<Reconciliation.Outcome> differing;
    try (WarehouseCatalog warehouse = new Pipeline(config, out::println).openWarehouse()) {
      List<SourceConnection> sources = new ArrayList<>();
      for (String name : config.sourceNames()) {
        sources.add(CaptureSettings.source(config, name, null, null));
      }
      differing = compareAndRecord(warehouse, sources, out, true);
    }
    if (differing.isEmpty()) {
      out.println("Every source table matches staging plus its excluded rows.");
      return 0;
    }
    for (Reconciliation.Outcome o : differing) {
      out.println("DIFFERS: " + o.table() + ": source " + o.sourceRows() + " rows, warehouse " + (o.stagingRows() + o.excludedRows())
          + (o.differingKeys().isEmpty() ? "" : "; keys " + String.join(", ", o.differingKeys())));
    }
    out.println(differing.size() + " table(s) differ: capture (kaoping ingest) and build again, or look for a lost change.");
    out.flush();
    return 1;
  }

  /**
   * Compares every table of {@code sources} with the warehouse, records the run in ops.reconciliation and returns the
   * tables that differ; {@code tableByTable} prints a line per table, otherwise one summary line.
   */
  static List<Reconciliation.Outcome> compareAndRecord(WarehouseCatalog warehouse, List<SourceConnection> sources,
      PrintWriter out, boolean tableByTable) throws Exception {
    List<Reconciliation.Outcome> differing = new ArrayList<>();
    List<ReconciliationLog.Entry> results = new ArrayList<>();
    OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
    Reconciliation reconciliation = new Reconciliation(warehouse);
    if (tableByTable) {
      out.printf("%-32s %12s %12s %12s  %s%n", "table", "source rows", "staging rows", "excluded", "checksum");
    }
    for (SourceConnection source : sources) {
      List<Reconciliation.Outcome> outcomes;
      try (Connection c = source.connect()) {
        outcomes = reconciliation.compare(source.name(), source.schemas(), c);
      }
      for (Reconciliation.Outcome o : outcomes) {
        if (tableByTable) {
          out.printf("%-32s %12d %12d %12d  %s%n", o.table(), o.sourceRows(), o.stagingRows(), o.excludedRows(),
              o.checksumsMatch() ? "match" : "DIFFERS");
        }
        results.add(new ReconciliationLog.Entry(o.table(), o.sourceRows(), o.stagingRows(), o.excludedRows(),
            o.checksumsMatch(), o.matches(), o.differingKeys()));
        if (!o.matches()) {
          differing.add(o);
        }
      }
    }
    if (!results.isEmpty()) {
      ReconciliationLog.open(warehouse).append(startedAt, results);
      out.println((tableByTable ? "" : "reconciled " + results.size() + " source tables with the warehouse, "
          + (differing.isEmpty() ? "every one matches; " : differing.size() + " differ; "))
          + "recorded in " + ReconciliationLog.TABLE + " (kaoping publish shows it in the serving database).");
    }
    return differing;
  }
}
