package org.kaoping.app.service;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.kaoping.app.Serving;
import org.kaoping.dashboards.report.ReportGenerator;

/** Renders the PDF reports of a period (default: the latest complete quarter) into {@code <home>/reports/<period>}. */
record ReportRun(RunContext context) implements RunJob {
  @Override
  public RunKind kind() {
    return RunKind.REPORT;
  }

  @Override
  public Map<String, Object> run(RunRequest request, Consumer<String> progress) throws Exception {
    ReportGenerator.ServingConnection reader = Serving.reportReader(context.servingTarget());
    String period = request.period() != null ? request.period()
        : ReportGenerator.latestComplete(reader, "QUARTER").orElseThrow(() -> new IllegalStateException(
            "no quarter is complete in the serving database yet: give a \"period\""));
    Optional<Long> unit;
    try {
      unit = Optional.ofNullable(request.unit()).map(Long::valueOf);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"unit\" must be a unit id (a number), was '" + request.unit() + "'");
    }
    Path dir = context.config().home().resolve("reports").resolve(period);
    List<Path> files = ReportGenerator.generate(reader, period, unit, dir, context.config().reportFont(), progress);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("period", period);
    result.put("folder", dir.toString());
    result.put("files", files.stream().map(f -> f.getFileName().toString()).toList());
    return result;
  }
}
