package org.kaoping.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kaoping.jobs.MetricSettings;
import org.kaoping.jobs.WarehouseMaintenance.Policy;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * Kaoping's configuration: a properties file plus command-line overrides. Every key is declared once, with its type,
 * default, checks, environment variable and secrecy, as a {@link ConfigKey} in the area that binds it
 * ({@link WarehouseSettings}, {@link SourceSettings}, {@link MetricKeys}, {@link MaintenanceKeys},
 * {@link ServingSettings}, {@link FeedKeys}, {@link ReportSettings}, {@link ServiceSettings}). An unknown key or a
 * bad value stops start-up with a sentence naming it.
 *
 * <p>Pass-through families: {@code warehouse.catalog.*} (standard Iceberg catalog properties),
 * {@code spark.*} (Spark configuration), {@code source.<name>.*} (a source's connection and Debezium connector).
 */
public final class KaopingConfig {
  /** Every area, in the order {@code kaoping config} lists them. */
  public static final List<ConfigArea> AREAS = List.of(WarehouseSettings.AREA, SourceSettings.AREA, IngestSettings.AREA, MetricKeys.AREA,
      MaintenanceKeys.AREA, ServingSettings.AREA, FeedKeys.AREA, ReminderKeys.AREA, ReportSettings.AREA, ServiceSettings.AREA);

  /** Per-source keys ({@code source.<name>.<suffix>}) with their defaults ({@code null}: the source's name). */
  public static final Map<String, String> SOURCE_KEYS = Map.of(
      "host", "127.0.0.1", "port", "5432", "database", "", "user", "postgres", "password", "", "schemas", "public");

  /** Keys of earlier versions, with what replaced them. */
  static final Map<String, String> REMOVED_KEYS = Map.of("ingest.idle-seconds",
      "a capture run now ends once it has caught up with the source's WAL position at its start,"
          + " however quiet or slow; use 'kaoping ingest --follow' to keep capturing. Remove the key.");

  private static final Pattern SOURCE_KEY = Pattern.compile("source\\.([a-z][a-z0-9_]*)\\.(.+)");

  private final Map<String, String> values;
  private final String origin;

  private KaopingConfig(Map<String, String> values, String origin) {
    this.values = values;
    this.origin = origin;
  }

  /**
   * Loads {@code file} (may be null: defaults only) and applies {@code overrides}.
   *
   * @throws ConfigException naming the key and the file
   */
  public static KaopingConfig load(Path file, Map<String, String> overrides) {
    Map<String, String> values = new TreeMap<>();
    String origin = "defaults";
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("Configuration file " + file + " does not exist.");
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new ConfigException("Cannot read configuration file " + file + ": " + e.getMessage());
      }
      p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).strip()));
      origin = file.toString();
    }
    values.putAll(overrides);
    KaopingConfig config = new KaopingConfig(values, origin);
    config.validate();
    return config;
  }

  /** Every declared key of every area. */
  public static List<ConfigKey<?>> keys() {
    return AREAS.stream().flatMap(a -> a.keys().stream()).toList();
  }

  private void validate() {
    List<ConfigKey<?>> keys = keys();
    List<String> sources = sourceNames();
    for (String key : values.keySet()) {
      if (keys.stream().anyMatch(k -> k.name().equals(key)) || WarehouseSettings.passesThrough(key)) {
        continue;
      }
      if (REMOVED_KEYS.containsKey(key)) {
        throw new ConfigException("Configuration key '" + key + "' (" + origin + ") no longer exists: " + REMOVED_KEYS.get(key));
      }
      Matcher m = SOURCE_KEY.matcher(key);
      if (m.matches() && sources.contains(m.group(1))
          && (SOURCE_KEYS.containsKey(m.group(2)) || m.group(2).startsWith("debezium."))) {
        continue;
      }
      if (m.matches() && sources.contains(m.group(1)) && m.group(2).startsWith(COLUMN_MAP_PREFIX)) {
        columnMapEntry(key, m.group(2));
        continue;
      }
      if (m.matches() && !sources.contains(m.group(1))) {
        throw new ConfigException("Configuration key '" + key + "' (" + origin + ") is for source '" + m.group(1)
            + "', which is not listed in '" + SourceSettings.SOURCES.name() + "' (" + String.join(",", sources) + ").");
      }
      throw new ConfigException("Unknown configuration key '" + key + "' (" + origin + "). Known keys: "
          + String.join(", ", keys.stream().map(ConfigKey::name).toList())
          + ", warehouse.catalog.*, spark.*, source.<name>.{" + String.join(",", new TreeMap<>(SOURCE_KEYS).keySet())
          + "}, source.<name>.debezium.*, " + COLUMN_MAP_KEY + ". Run 'kaoping config' to see them explained.");
    }
    keys.forEach(this::get); // each declared key's type and checks
    for (String s : sources) {
      get(sourcePort(s));
    }
    // what spans keys: the areas' own rules (the service's token only when the service binds it)
    metricSettings();
    calendar();
    scoringScheme();
    feedSettings();
  }

  /** The text in effect for {@code key}: as set (blank included), else its environment variable, else its default. */
  public String text(ConfigKey<?> key) {
    String v = values.get(key.name());
    if ((v == null || v.isBlank()) && key.env() != null) {
      String env = System.getenv(key.env());
      v = env == null || env.isBlank() ? v : env;
    }
    return v != null ? v : key.defaultText();
  }

  /**
   * The value of {@code key} in effect; null when it has none.
   *
   * @throws ConfigException naming the key when the value is not of its type or breaks one of its checks
   */
  public <T> T get(ConfigKey<T> key) {
    String text = text(key);
    try {
      return key.value(text);
    } catch (IllegalArgumentException e) {
      boolean fromEnv = key.env() != null && (values.get(key.name()) == null || values.get(key.name()).isBlank())
          && text != null && text.equals(System.getenv(key.env()));
      throw new ConfigException("Configuration key '" + key.name() + "' " + e.getMessage() + " ("
          + (fromEnv ? "environment variable " + key.env() : origin) + ").");
    }
  }

  /** Whether {@code key} has a value (set, from its environment variable or by default). */
  public boolean isSet(ConfigKey<?> key) {
    return get(key) != null;
  }

  /** Where the values come from: the file, or "defaults". */
  public String origin() {
    return origin;
  }

  /** The keys beginning with {@code prefix}, without it. */
  public Map<String, String> family(String prefix) {
    Map<String, String> p = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        p.put(k.substring(prefix.length()), v);
      }
    });
    return p;
  }

  // --- Each area's settings, bound by the area ---

  public WarehouseSettings warehouse() {
    return WarehouseSettings.bind(this);
  }

  public Path home() {
    return get(WarehouseSettings.HOME);
  }

  /** Iceberg catalog properties; default: a Hadoop catalog in {@code <home>/warehouse}. */
  public Map<String, String> catalogProperties() {
    return warehouse().catalogProperties();
  }

  public String sparkMaster() {
    return get(WarehouseSettings.SPARK_MASTER);
  }

  /** {@code spark.*} settings other than the master. */
  public Map<String, String> sparkConf() {
    return warehouse().sparkConf();
  }

  public List<String> sourceNames() {
    return SourceSettings.bind(this).names();
  }

  /** True when any {@code source.<name>.*} key is set: the sources are real databases, not the demo's embedded ones. */
  public boolean sourcesConfigured() {
    return SourceSettings.bind(this).configured();
  }

  public MetricSettings metricSettings() {
    return MetricKeys.bind(this);
  }

  public WorkingCalendar calendar() {
    return MetricKeys.calendar(this);
  }

  public ScoringScheme scoringScheme() {
    return MetricKeys.scoringScheme(this);
  }

  /** What {@code kaoping maintain} keeps. */
  public Policy maintenancePolicy() {
    return MaintenanceKeys.bind(this);
  }

  public ServingSettings serving() {
    return ServingSettings.bind(this);
  }

  /** How sources' existing rows are read at their first capture: the parallel load or Debezium's snapshot. */
  public IngestSettings ingest() {
    return IngestSettings.bind(this);
  }

  /** The serving database; null URL: the embedded one. */
  public String servingJdbcUrl() {
    return get(ServingSettings.JDBC_URL);
  }

  public String servingUser() {
    return get(ServingSettings.USER);
  }

  public String servingPassword() {
    return get(ServingSettings.PASSWORD);
  }

  public String servingReader() {
    return get(ServingSettings.READER);
  }

  public String servingReaderPassword() {
    return get(ServingSettings.READER_PASSWORD);
  }

  /** Where and what the cadre-management feed delivers. */
  public org.kaoping.delivery.feed.FeedSettings feedSettings() {
    return FeedKeys.bind(this);
  }

  /** Where the reminders' notifications go. */
  public org.kaoping.delivery.reminder.ReminderSettings reminderSettings() {
    return ReminderKeys.bind(this);
  }

  /** The font the reports embed; null: the default. */
  public Path reportFont() {
    return ReportSettings.bind(this).font();
  }

  /**
   * The service's settings ({@code kaoping serve}); only the service asks, so other commands need no token.
   *
   * @throws ConfigException naming the key: a missing or short token
   */
  public ServiceSettings serviceSettings() {
    return ServiceSettings.bind(this, null);
  }

  /** As {@link #serviceSettings()}, with a token of {@code whenUnset} (e.g. one generated for this home) if none is configured. */
  public ServiceSettings serviceSettings(java.util.function.Supplier<String> whenUnset) {
    return ServiceSettings.bind(this, whenUnset);
  }

  /** The service's build interval alone (what a benchmark reports; no token needed to read it). */
  public int serviceSettingsInterval() {
    return get(ServiceSettings.BUILD_INTERVAL);
  }

  // --- The source.<name>.* family ---

  private static ConfigKey<Integer> sourcePort(String source) {
    return ConfigKey.integer("source." + source + ".port", Integer.parseInt(SOURCE_KEYS.get("port")), "");
  }

  /**
   * The connection keys of source {@code name} ({@code source.<name>.*}), with {@code host/port} replaced when given
   * (embedded demo); the password from {@code KAOPING_SOURCE_<NAME>_PASSWORD} when the file has none.
   */
  public SourceSettings.Source source(String name, String hostOverride, Integer portOverride) {
    String prefix = "source." + name + ".";
    String database = values.getOrDefault(prefix + "database", name);
    Map<String, String> debezium = family(prefix + "debezium.");
    return new SourceSettings.Source(name,
        hostOverride != null ? hostOverride : values.getOrDefault(prefix + "host", SOURCE_KEYS.get("host")),
        portOverride != null ? portOverride : get(sourcePort(name)),
        database, values.getOrDefault(prefix + "user", SOURCE_KEYS.get("user")),
        values.getOrDefault(prefix + "password", sourcePasswordFromEnvironment(name)),
        values.getOrDefault(prefix + "schemas", SOURCE_KEYS.get("schemas")), debezium);
  }

  /** {@code KAOPING_SOURCE_<NAME>_PASSWORD}, so a source's password need not sit in a file; empty if unset. */
  private static String sourcePasswordFromEnvironment(String source) {
    String v = System.getenv("KAOPING_SOURCE_" + source.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD");
    return v != null ? v : SOURCE_KEYS.get("password");
  }

  // --- Renamed source columns (issue 6 §4): source.<name>.column-map.<table>.<model column>=<source column> ---

  /** The key family mapping a staging model's column to the source column that now holds it. */
  public static final String COLUMN_MAP_KEY = "source.<name>.column-map.<table>.<model column>";
  public static final String COLUMN_MAP_DESCRIPTION = "the source column that now holds a column a staging model reads"
      + " (after a rename); e.g. source.worklog.column-map.work_log.content=description. Default: none";
  private static final String COLUMN_MAP_PREFIX = "column-map.";
  private static final Pattern COLUMN_MAP_SUFFIX = Pattern.compile("column-map\\.([a-z_][a-z0-9_]*)\\.([a-z_][a-z0-9_]*)");
  private static final Pattern SOURCE_COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

  /** Validates one column-map key; returns {table, model column, source column}. */
  private String[] columnMapEntry(String key, String suffix) {
    Matcher m = COLUMN_MAP_SUFFIX.matcher(suffix);
    if (!m.matches()) {
      throw new ConfigException("Configuration key '" + key + "' (" + origin + ") must look like " + COLUMN_MAP_KEY
          + " (table and column in lower case, e.g. source.worklog.column-map.work_log.content).");
    }
    String value = values.get(key);
    if (value == null || !SOURCE_COLUMN.matcher(value).matches()) {
      throw new ConfigException("Configuration key '" + key + "' (" + origin + ") must name a source column, was '"
          + value + "'.");
    }
    return new String[] {m.group(1), m.group(2), value};
  }

  /** Raw table ({@code <source>_<table>}) → model column → source column, from the column-map keys. */
  public Map<String, Map<String, String>> columnMaps() {
    Map<String, Map<String, String>> maps = new TreeMap<>();
    for (String key : values.keySet()) {
      Matcher m = SOURCE_KEY.matcher(key);
      if (m.matches() && sourceNames().contains(m.group(1)) && m.group(2).startsWith(COLUMN_MAP_PREFIX)) {
        String[] e = columnMapEntry(key, m.group(2));
        maps.computeIfAbsent(m.group(1) + "_" + e[0], t -> new TreeMap<>()).put(e[1], e[2]);
      }
    }
    return maps;
  }

  /** Bad configuration: the message is the whole story, shown without a stack trace. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
