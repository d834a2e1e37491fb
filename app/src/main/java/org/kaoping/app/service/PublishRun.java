package org.kaoping.app.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.kaoping.app.Pipeline;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.warehouse.WarehouseLock;

/** Publishes the latest build to the serving database, holding the build lock. */
record PublishRun(RunContext context) implements RunJob {
  @Override
  public RunKind kind() {
    return RunKind.PUBLISH;
  }

  @Override
  public Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception {
    try (WarehouseLock lock = context.awaitLock(WarehouseLock.Kind.BUILD, "kaoping serve: publish", progress)) {
      return runHoldingLock(request, progress);
    }
  }

  /** The publish itself, for a caller that holds the build lock. */
  Map<String, Object> runHoldingLock(RunRequest request, Consumer<String> progress) throws Exception {
    ServingPublisher.Target target = context.servingTarget();
    ServingPublisher.connect(target).close(); // a refusing database fails the run before Spark work
    ServingPublisher.Result r = new Pipeline(context.config(), progress)
        .publish(context.spark().session(), context.warehouse(), target, request.full());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("publicationId", r.publicationId());
    result.put("published", r.published());
    result.put("rowsWritten", r.rowsWritten());
    result.put("partitionsWritten", r.partitionsWritten());
    result.put("summary", r.summary());
    return result;
  }
}
