package org.kaoping.app;

import java.util.List;

/**
 * Which source systems are captured (key {@code sources}); each one's connection comes from the
 * {@code source.<name>.*} family ({@link KaopingConfig#source}).
 *
 * @param configured true when any {@code source.<name>.*} key is set: the sources are real databases, not the demo's
 */
public record SourceSettings(List<String> names, boolean configured) {
  public static final ConfigArea AREA = new ConfigArea("sources");
  public static final ConfigKey<List<String>> SOURCES = AREA.add(ConfigKey.list("sources", List.of("worklog", "approval"),
      "Source systems to capture, comma-separated; each has source.<name>.* keys")
      .check(names -> names.stream().allMatch(n -> n.matches("[a-z][a-z0-9_]*")),
          names -> "must list source names of lower-case letters, digits and _, was '" + String.join(",", names) + "'"));

  public SourceSettings {
    names = List.copyOf(names);
  }

  public static SourceSettings bind(KaopingConfig config) {
    List<String> names = config.get(SOURCES);
    return new SourceSettings(names == null ? List.of() : names, !config.family("source.").isEmpty());
  }
}
