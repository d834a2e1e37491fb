package org.kaoping.app.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.kaoping.app.Pipeline;
import org.kaoping.jobs.WarehouseBuild;
import org.kaoping.warehouse.WarehouseLock;

/** Rebuilds staging and the marts (incremental unless full), holding the build lock. */
record BuildRun(RunContext context) implements RunJob {
  @Override
  public RunKind kind() {
    return RunKind.BUILD;
  }

  @Override
  public Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception {
    try (WarehouseLock lock = context.awaitLock(WarehouseLock.Kind.BUILD, "kaoping serve: build", progress)) {
      return runHoldingLock(request, progress);
    }
  }

  /** The build itself, for a caller that holds the build lock. */
  Map<String, Object> runHoldingLock(RunRequest request, Consumer<String> progress) {
    long started = System.currentTimeMillis();
    WarehouseBuild.Result r = new Pipeline(context.config(), progress)
        .build(context.spark().session(), context.warehouse(), request.full());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("buildId", r.buildId());
    result.put("asOfDate", String.valueOf(r.asOfDate()));
    result.put("rejectedRows", r.rejectedRows());
    result.put("periods", request.period() == null ? "every period whose inputs changed" + (request.full() ? " (full: all)" : "")
        : "builds have no single-period mode: every period whose inputs changed was refreshed, " + request.period() + " among them if it changed");
    result.put("seconds", (System.currentTimeMillis() - started) / 1000.0);
    return result;
  }
}
