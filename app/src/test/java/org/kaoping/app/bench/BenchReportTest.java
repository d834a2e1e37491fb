package org.kaoping.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The benchmark's figures: each step told as soon as it is measured, and the report's rows and ratios. */
class BenchReportTest {
  @Test
  void eachStepIsToldWhenMeasuredAndTheReportKeepsItsRow() throws Exception {
    List<StepMeter.Figure> told = new ArrayList<>();
    StepMeter meter = new StepMeter(told::add);
    meter.measure("initial load", () -> StepMeter.Outcome.of(null, 1000, "rows"));
    assertEquals(1, told.size(), "told before the run ends");
    assertEquals(1000, told.get(0).items());

    StepMeter.Figure load = new StepMeter.Figure("initial load", 10, 1_000_000, "rows", 2L << 30, 3L << 30, "a|b");
    assertEquals("| initial load | 10.0 | 1000000 rows | 100,000 | 2.00 GiB | 3.00 GiB | a\\|b |", BenchReport.row(load));
    List<StepMeter.Figure> figures = List.of(load,
        new StepMeter.Figure("debezium snapshot", 40, 1_000_000, "rows", 1L << 30, 1L << 30, ""),
        new StepMeter.Figure("streaming", 5, 1000, "events", 1, 1, ""),
        new StepMeter.Figure("debezium streaming", 4, 1000, "events", 1, 1, ""),
        new StepMeter.Figure("full build", 300, 10, "rows", 1, 1, ""),
        new StepMeter.Figure("duckdb", 3, 10, "rows", 1, 1, ""),
        new StepMeter.Figure("full publish", 20, 2_000_000, "rows", 1, 1, ""),
        new StepMeter.Figure("one-day build", 30, -1, "", 1, 1, ""),
        new StepMeter.Figure("one-day publish", 8, 10, "rows", 1, 1, ""));
    String md = new BenchReport(new PipelineBench.Plan(16, 1, 20, 1), figures, Map.of("mart.x", 1.5), 400).markdown();
    assertTrue(md.contains("| initial load / Debezium snapshot (rows/s) | 4.00× | ≥ 5× |"), md);
    assertTrue(md.contains("| streaming / Debezium engine (events/s) | 0.80× | ≥ 0.8× |"), md);
    assertTrue(md.contains("| one-day build / full build | 10.0 % | ≤ 5 % |"), md);
    assertTrue(md.contains("| full publish rows/s | 100,000 | ≥ 100,000 |"), md);
    assertTrue(md.contains("| mart.x | 1.5 |"), md);
  }
}
