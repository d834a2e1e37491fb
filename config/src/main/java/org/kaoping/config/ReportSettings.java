package org.kaoping.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How {@code kaoping report} renders the evaluation reports (履职评估报告).
 *
 * @param font the TrueType font the PDFs embed; null: the default
 */
public record ReportSettings(Path font) {
  public static final ConfigArea AREA = new ConfigArea("report");
  public static final ConfigKey<Path> FONT = AREA.add(ConfigKey.path("report.font", null,
      "TrueType font (.ttf or .ttc) the PDF reports embed; default WenQuanYi Zen Hei (Debian fonts-wqy-zenhei, installed if missing)")
      .check(Files::isRegularFile, f -> "names " + f + ", which is not a file"));

  public static ReportSettings bind(KaopingConfig config) {
    return new ReportSettings(config.get(FONT));
  }
}
