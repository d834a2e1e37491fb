package org.kaoping.app.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.kaoping.delivery.feed.FeedDelivery;
import org.kaoping.delivery.feed.FeedSettings;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.warehouse.WarehouseLock;

/** Delivers the cadre-management feed; the demo's own {@code cadre} database when no target is configured. */
record FeedRun(RunContext context) implements RunJob {
  @Override
  public RunKind kind() {
    return RunKind.FEED;
  }

  @Override
  public Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception {
    FeedSettings feed = context.config().feedSettings();
    EmbeddedSourceServer server = context.server();
    if (feed.targetUrl() == null && server != null && !context.config().sourcesConfigured()) {
      feed = feed.withTarget(server.ensureFeedDatabase(), EmbeddedSourceServer.USER, null); // the demo's cadre database
    }
    try (WarehouseLock lock = context.awaitLock(WarehouseLock.Kind.FEED, "kaoping serve: feed", progress)) {
      FeedDelivery.Summary s = FeedDelivery.deliver(context.warehouse(), feed, null,
          request.period() == null ? List.of() : List.of(request.period()), request.provisional(), progress);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("publicationId", s.publicationId());
      result.put("newVersions", s.created());
      result.put("periods", s.periods().stream().map(p -> Map.of("period", p.period(), "version", p.version(),
          "created", p.created(), "where", String.valueOf(p.where()))).toList());
      return result;
    }
  }
}
