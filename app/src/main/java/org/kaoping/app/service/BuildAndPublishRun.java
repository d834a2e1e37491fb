package org.kaoping.app.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** A build, then the publish of what it built: one run for a caller who wants the dashboards to change. */
record BuildAndPublishRun(BuildRun build, PublishRun publish) implements RunJob {
  @Override
  public RunKind kind() {
    return RunKind.BUILD_AND_PUBLISH;
  }

  /** The build's result and the publish's in one map; a failed build publishes nothing. */
  @Override
  public Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception {
    Map<String, Object> result = new LinkedHashMap<>(build.run(request.as(RunKind.BUILD), progress));
    result.remove("periods"); // a build-and-publish run takes no period: every changed period is refreshed
    result.putAll(publish.run(request.as(RunKind.PUBLISH), progress));
    return result;
  }
}
