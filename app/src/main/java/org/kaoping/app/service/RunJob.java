package org.kaoping.app.service;

import java.util.Map;
import java.util.function.Consumer;

/** The work of one kind of run; {@link Runs} starts it on its own thread and records what it returns or throws. */
interface RunJob {
  /** The kind of run this job does. */
  RunKind kind();

  /**
   * Does the run, reporting progress in lines.
   *
   * @return the run's result as the API shows it (build id, publication id, …)
   * @throws Exception recorded as the run's error; an {@link InterruptedException} while the service stops
   *     records it stopped
   */
  Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception;
}
