package org.kaoping.config;

import java.util.List;
import java.util.Map;

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

  /**
   * One source's connection keys ({@code source.<name>.*}), as the capture connects with them.
   *
   * @param debezium the {@code source.<name>.debezium.*} keys, without the prefix
   */
  public record Source(String name, String host, int port, String database, String user, String password,
      String schemas, Map<String, String> debezium) {
    public Source {
      debezium = Map.copyOf(debezium);
    }

    @Override
    public String toString() { // never the password
      return "Source[" + name + " " + user + "@" + host + ":" + port + "/" + database + "]";
    }
  }

  public SourceSettings {
    names = List.copyOf(names);
  }

  public static SourceSettings bind(KaopingConfig config) {
    List<String> names = config.get(SOURCES);
    return new SourceSettings(names == null ? List.of() : names, !config.family("source.").isEmpty());
  }
}
