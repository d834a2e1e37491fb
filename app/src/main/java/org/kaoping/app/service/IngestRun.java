package org.kaoping.app.service;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Catches up: waits until the running capture has committed past each source's current WAL insert position. */
final class IngestRun implements RunJob {
  private final ContinuousCapture capture;
  private final BooleanSupplier stopping;

  IngestRun(ContinuousCapture capture, BooleanSupplier stopping) {
    this.capture = capture;
    this.stopping = stopping;
  }

  @Override
  public RunKind kind() {
    return RunKind.INGEST;
  }

  @Override
  public Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception {
    return Map.of("reached", capture.awaitCaughtUp(stopping, progress));
  }
}
