package org.kaoping.app.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.kaoping.warehouse.WarehouseLock;

/**
 * A build, then the publish of what it built: one run for a caller who wants the dashboards to change. It holds the
 * build lock across both steps, so no other build can come between them and the publication is of this build.
 */
record BuildAndPublishRun(BuildRun build, PublishRun publish) implements RunJob {
  @Override
  public RunKind kind() {
    return RunKind.BUILD_AND_PUBLISH;
  }

  /** The build's result and the publish's in one map; a failed build publishes nothing. */
  @Override
  public Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception {
    try (WarehouseLock lock = build.context().awaitLock(WarehouseLock.Kind.BUILD, "kaoping serve: build and publish", progress)) {
      Map<String, Object> result = new LinkedHashMap<>(build.runHoldingLock(request.as(RunKind.BUILD), progress));
      result.remove("periods"); // a build-and-publish run takes no period: every changed period is refreshed
      result.putAll(publish.runHoldingLock(request.as(RunKind.PUBLISH), progress));
      return result;
    }
  }
}
