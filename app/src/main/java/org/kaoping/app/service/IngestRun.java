package org.kaoping.app.service;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Catches up: waits until the running capture has committed past each source's current WAL insert position. */
record IngestRun(ContinuousCapture capture, BooleanSupplier stopping) implements RunJob {
  @Override
  public RunKind kind() {
    return RunKind.INGEST;
  }

  @Override
  public Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception {
    return Map.of("reached", capture.awaitCaughtUp(stopping, progress));
  }
}
