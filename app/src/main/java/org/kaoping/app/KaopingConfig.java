package org.kaoping.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kaoping.ingestion.SourceConnection;
import org.kaoping.jobs.MetricSettings;
import org.kaoping.jobs.WarehouseMaintenance.Policy;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * Kaoping's configuration: a properties file plus command-line overrides, every key declared
 * once with its default. An unknown key or a bad value stops start-up with a sentence naming it.
 *
 * <p>Pass-through families: {@code warehouse.catalog.*} (standard Iceberg catalog properties),
 * {@code spark.*} (Spark configuration), {@code source.<name>.debezium.*} (Debezium connector).
 */
public final class KaopingConfig {
  /**
   * A declared key: name, default (null: none), what it means, the environment variable that stands in when the key
   * is not set (null: none; secrets belong there, not in files) and whether `kaoping config` hides its value.
   */
  public record Key(String name, String defaultValue, String description, String env, boolean secret) {
    Key(String name, String defaultValue, String description) {
      this(name, defaultValue, description, null, false);
    }
  }

  public static final Key HOME = new Key("home", "kaoping-data",
      "Directory for local state: the embedded demo databases and, by default, the warehouse");
  public static final Key SOURCES = new Key("sources", "worklog,approval",
      "Source systems to capture, comma-separated; each has source.<name>.* keys");
  public static final Key SPARK_MASTER = new Key("spark.master", "local[*]", "Spark master: local[*] or a cluster URL");
  public static final Key FULL_DAY_MINUTES = new Key("metrics.full-day-minutes",
      Integer.toString(MetricSettings.FULL_DAY_MINUTES_DEFAULT), "Minutes of the 100 % working day");
  public static final Key FILL_GRACE = new Key("metrics.fill-grace-working-days",
      Integer.toString(MetricSettings.FILL_GRACE_WORKING_DAYS_DEFAULT),
      "A day's log is filed on time if submitted by the end of this many working days after it");
  public static final Key COUNTED_STATUSES = new Key("metrics.counted-statuses",
      String.join(",", MetricSettings.COUNTED_STATUSES_DEFAULT), "Log statuses whose minutes count");
  public static final Key REVIEW_ON_TIME = new Key("metrics.review-on-time-working-days",
      Integer.toString(MetricSettings.REVIEW_ON_TIME_WORKING_DAYS_DEFAULT),
      "A review level is on time if it decides within this many working days");
  public static final Key TARGET_TOLERANCE = new Key("metrics.target-tolerance-points",
      Integer.toString(MetricSettings.TARGET_TOLERANCE_POINTS_DEFAULT),
      "Target progress within this many percentage points of plan is on plan (GREEN)");
  public static final Key YELLOW_CARD = new Key("metrics.target-yellow-card-gap-points",
      Integer.toString(MetricSettings.YELLOW_CARD_GAP_POINTS_DEFAULT), "Points behind plan that earn a yellow card");
  public static final Key RED_CARD = new Key("metrics.target-red-card-gap-points",
      Integer.toString(MetricSettings.RED_CARD_GAP_POINTS_DEFAULT), "Points behind plan that earn a red card");
  public static final Key AS_OF_DATE = new Key("metrics.as-of-date", null,
      "Date the data stands at (yyyy-MM-dd); default: the day of the latest work-log change");
  public static final Key CALENDAR_FILE = new Key("calendar.file", null,
      "Working-calendar exceptions file (see the built-in calendar-cn.csv); default: built-in");
  public static final Key SCORING_SCHEME = new Key("scoring.scheme-file", null,
      "Indicator scheme of the composite scores (YAML, see the built-in scoring-scheme.yaml); default: built-in");


  // kaoping maintain: what snapshots and files table maintenance keeps
  public static final Key MAINTAIN_RETENTION_HOURS = new Key("maintain.snapshot-retention-hours",
      Integer.toString(Policy.SNAPSHOT_RETENTION_HOURS_DEFAULT),
      "A snapshot is expired once it has been superseded this long (a reader on it has that long to finish); tagged ones never");
  public static final Key MAINTAIN_KEEP_SNAPSHOTS = new Key("maintain.keep-snapshots",
      Integer.toString(Policy.KEEP_SNAPSHOTS_DEFAULT), "Newest snapshots of each table kept however old (at least 1)");
  public static final Key MAINTAIN_KEEP_BUILDS = new Key("maintain.keep-builds", Integer.toString(Policy.KEEP_BUILDS_DEFAULT),
      "Latest builds whose input and output snapshots stay tagged (kaoping-build-<id>) and are never expired");
  public static final Key MAINTAIN_ORPHAN_HOURS = new Key("maintain.orphan-min-age-hours",
      Integer.toString(Policy.ORPHAN_MIN_AGE_HOURS_DEFAULT),
      "Files no snapshot references are deleted only once this old: a writer may be about to commit a younger one (keep >= 24)");

  // kaoping publish: the serving database (secrets may come from the environment instead of a file)
  public static final Key SERVING_JDBC_URL = new Key("serving.jdbc-url", null,
      "JDBC URL of the serving PostgreSQL; default: database 'serving' in the embedded PostgreSQL of <home>/sources");
  public static final Key SERVING_USER = new Key("serving.user", "kaoping_writer",
      "User Kaoping publishes as (the writer; owns schemas kaoping and kaoping_store)");
  public static final Key SERVING_PASSWORD = new Key("serving.password", null,
      "The writer's password; or set the environment variable KAOPING_SERVING_PASSWORD",
      "KAOPING_SERVING_PASSWORD", true);
  public static final Key SERVING_READER = new Key("serving.reader-user", "kaoping_reader",
      "Read-only role for dashboards and analysts: SELECT on schema kaoping only (created if missing)");
  public static final Key SERVING_READER_PASSWORD = new Key("serving.reader-password", null,
      "If set, Kaoping sets the read-only role's password to it; or set KAOPING_SERVING_READER_PASSWORD",
      "KAOPING_SERVING_READER_PASSWORD", true);
  // kaoping feed: the cadre-management score feed (docs/feed.md)
  public static final Key FEED_TARGET_URL = new Key("feed.target-url", null,
      "JDBC URL of the feed's target database (or env KAOPING_FEED_URL); none: files only",
      "KAOPING_FEED_URL", false);
  public static final Key FEED_TARGET_USER = new Key("feed.target-user", null,
      "User for feed.target-url (or env KAOPING_FEED_USER)",
      "KAOPING_FEED_USER", false);
  public static final Key FEED_TARGET_PASSWORD = new Key("feed.target-password", null,
      "Password for feed.target-url (better: env KAOPING_FEED_PASSWORD)",
      "KAOPING_FEED_PASSWORD", true);
  public static final Key FEED_DROP_DIR = new Key("feed.drop-dir", null,
      "Directory of the feed's file drop (CSV, JSON Lines, manifest per period and version); default <home>/feed");
  public static final Key FEED_PERIOD_TYPES = new Key("feed.period-types", "QUARTER,YEAR",
      "Period types the feed delivers by default: QUARTER, YEAR, MONTH, comma-separated");
  // kaoping report: the evaluation reports (履职评估报告)
  public static final Key REPORT_FONT = new Key("report.font", null,
      "TrueType font (.ttf or .ttc) the PDF reports embed; default WenQuanYi Zen Hei (Debian fonts-wqy-zenhei, installed if missing)");
  // kaoping serve: the always-on service and its control API (docs in README "The service")
  public static final Key SERVICE_HOST = new Key("service.host", "127.0.0.1",
      "Address the control API listens on; loopback by default (set 0.0.0.0 only behind a firewall or proxy)");
  public static final Key SERVICE_PORT = new Key("service.port", "8765", "Port of the control API");
  public static final Key SERVICE_TOKEN = new Key("service.token", null,
      "Bearer token every API call but /health must carry, at least 16 characters (better: env KAOPING_SERVICE_TOKEN)",
      "KAOPING_SERVICE_TOKEN", true);
  public static final Key SERVICE_BUILD_INTERVAL = new Key("service.build-interval-seconds", "20",
      "Least seconds between the starts of the service's builds; newly captured changes start an incremental build and publish as soon as this much time passed since the last one started (0: no scheduled builds)");
  // kaoping ingest: how a source's existing rows are read the first time
  public static final Key INITIAL_LOAD = new Key("ingest.initial-load", "parallel",
      "How a source's existing rows are read at its first capture: parallel (chunks read at once from the slot's exported snapshot) or debezium (Debezium's own snapshot)");
  public static final Key LOAD_WORKERS = new Key("ingest.load-workers",
      Integer.toString(org.kaoping.ingestion.InitialLoad.Options.DEFAULT.workers()),
      "Connections per source reading chunks at once in the parallel initial load; default: two per core");
  public static final Key LOAD_CHUNK_ROWS = new Key("ingest.load-chunk-rows",
      Integer.toString(org.kaoping.ingestion.InitialLoad.Options.DEFAULT.chunkRows()),
      "Rows per chunk of the parallel initial load, about (a killed load resumes chunk by chunk)");
  static final List<Key> KEYS = List.of(HOME, SOURCES, SPARK_MASTER, FULL_DAY_MINUTES, FILL_GRACE, COUNTED_STATUSES,
      REVIEW_ON_TIME, TARGET_TOLERANCE, YELLOW_CARD, RED_CARD, AS_OF_DATE, CALENDAR_FILE, SCORING_SCHEME,
      MAINTAIN_RETENTION_HOURS, MAINTAIN_KEEP_SNAPSHOTS, MAINTAIN_KEEP_BUILDS, MAINTAIN_ORPHAN_HOURS,
      SERVING_JDBC_URL, SERVING_USER, SERVING_PASSWORD, SERVING_READER, SERVING_READER_PASSWORD,
      FEED_TARGET_URL, FEED_TARGET_USER, FEED_TARGET_PASSWORD, FEED_DROP_DIR, FEED_PERIOD_TYPES, REPORT_FONT,
      SERVICE_HOST, SERVICE_PORT, SERVICE_TOKEN, SERVICE_BUILD_INTERVAL, INITIAL_LOAD, LOAD_WORKERS, LOAD_CHUNK_ROWS);

  /** Per-source keys ({@code source.<name>.<suffix>}) with their defaults ({@code null}: the source's name). */
  static final Map<String, String> SOURCE_KEYS = Map.of(
      "host", "127.0.0.1", "port", "5432", "database", "", "user", "postgres", "password", "", "schemas", "public");

  /** Keys of earlier versions, with what replaced them. */
  static final Map<String, String> REMOVED_KEYS = Map.of("ingest.idle-seconds",
      "a capture run now ends once it has caught up with the source's WAL position at its start,"
          + " however quiet or slow; use 'kaoping ingest --follow' to keep capturing. Remove the key.");

  private static final String CATALOG_PREFIX = "warehouse.catalog.";
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

  private void validate() {
    List<String> sources = sourceNames();
    for (String key : values.keySet()) {
      if (KEYS.stream().anyMatch(k -> k.name().equals(key)) || key.startsWith(CATALOG_PREFIX)
          || (key.startsWith("spark.") && !key.equals(SPARK_MASTER.name()))) {
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
            + "', which is not listed in '" + SOURCES.name() + "' (" + String.join(",", sources) + ").");
      }
      throw new ConfigException("Unknown configuration key '" + key + "' (" + origin + "). Known keys: "
          + String.join(", ", KEYS.stream().map(Key::name).toList())
          + ", warehouse.catalog.*, spark.*, source.<name>.{" + String.join(",", new TreeMap<>(SOURCE_KEYS).keySet())
          + "}, source.<name>.debezium.*, " + COLUMN_MAP_KEY + ". Run 'kaoping config' to see them explained.");
    }
    for (Key k : List.of(FULL_DAY_MINUTES, FILL_GRACE, REVIEW_ON_TIME, TARGET_TOLERANCE, YELLOW_CARD, RED_CARD)) {
      integer(k);
    }
    for (String s : sources) {
      integer(new Key("source." + s + ".port", "5432", ""));
    }
    metricSettings();
    asOfDate();
    calendar();
    scoringScheme();
    maintenancePolicy();
    servingJdbcUrl();
    feedSettings();
    initialLoad();
  }

  String get(Key key) {
    String v = values.get(key.name());
    if ((v == null || v.isBlank()) && key.env() != null) {
      String env = System.getenv(key.env());
      v = env == null || env.isBlank() ? v : env;
    }
    return v != null ? v : key.defaultValue();
  }

  /** The serving database; null URL: the embedded one. */
  public String servingJdbcUrl() {
    String v = get(SERVING_JDBC_URL);
    if (v != null && !v.isBlank() && !v.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("Configuration key '" + SERVING_JDBC_URL.name() + "' must be a PostgreSQL JDBC URL like"
          + " jdbc:postgresql://host:5432/serving, was '" + v + "' (" + origin + ").");
    }
    return v == null || v.isBlank() ? null : v;
  }

  public String servingUser() {
    return get(SERVING_USER);
  }

  public String servingPassword() {
    return get(SERVING_PASSWORD);
  }

  public String servingReader() {
    return get(SERVING_READER);
  }

  public String servingReaderPassword() {
    return get(SERVING_READER_PASSWORD);
  }

  private int integer(Key key) {
    String v = get(key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException("Configuration key '" + key.name() + "' must be a whole number, was '" + v + "' (" + origin + ").");
    }
  }

  /**
   * The service's settings ({@code kaoping serve}); only the service asks, so other commands need no token.
   *
   * @throws ConfigException naming the key: a missing or short token, a bad port or interval
   */
  public org.kaoping.app.service.ServiceSettings serviceSettings() {
    return serviceSettings(null);
  }

  /** As {@link #serviceSettings()}, with a token of {@code whenUnset} (e.g. one generated for this home) if none is configured. */
  public org.kaoping.app.service.ServiceSettings serviceSettings(java.util.function.Supplier<String> whenUnset) {
    int port = integer(SERVICE_PORT);
    if (port < 1 || port > 65535) {
      throw new ConfigException("Configuration key '" + SERVICE_PORT.name() + "' must be a port between 1 and 65535, was "
          + port + " (" + origin + ").");
    }
    int interval = integer(SERVICE_BUILD_INTERVAL);
    if (interval < 0) {
      throw new ConfigException("Configuration key '" + SERVICE_BUILD_INTERVAL.name() + "' must be 0 or more seconds, was "
          + interval + " (" + origin + ").");
    }
    String token = get(SERVICE_TOKEN);
    if ((token == null || token.isBlank()) && whenUnset != null) {
      token = whenUnset.get();
    }
    if (token == null || token.strip().length() < org.kaoping.app.service.ServiceSettings.TOKEN_MIN_LENGTH) {
      throw new ConfigException("Configuration key '" + SERVICE_TOKEN.name() + "' (or env KAOPING_SERVICE_TOKEN) must hold a"
          + " secret of at least " + org.kaoping.app.service.ServiceSettings.TOKEN_MIN_LENGTH + " characters"
          + (token == null || token.isBlank() ? "; none is set" : "; it is too short")
          + " (e.g. export KAOPING_SERVICE_TOKEN=$(openssl rand -hex 24)).");
    }
    return new org.kaoping.app.service.ServiceSettings(get(SERVICE_HOST), port, token.strip(), interval);
  }

  /**
   * How sources' existing rows are read at their first capture: the parallel load's settings, or null for Debezium's snapshot.
   *
   * @throws ConfigException naming the key: an unknown mode, or fewer than one worker or row per chunk
   */
  public org.kaoping.ingestion.InitialLoad.Options initialLoad() {
    String mode = get(INITIAL_LOAD);
    if (mode.equals("debezium")) {
      return null;
    }
    if (!mode.equals("parallel")) {
      throw new ConfigException("Configuration key '" + INITIAL_LOAD.name() + "' must be parallel or debezium, was '"
          + mode + "' (" + origin + ").");
    }
    for (Key key : List.of(LOAD_WORKERS, LOAD_CHUNK_ROWS)) {
      if (integer(key) < 1) {
        throw new ConfigException("Configuration key '" + key.name() + "' must be 1 or more, was " + integer(key)
            + " (" + origin + ").");
      }
    }
    return new org.kaoping.ingestion.InitialLoad.Options(integer(LOAD_WORKERS), integer(LOAD_CHUNK_ROWS));
  }

  /** The service's build interval alone (what a benchmark reports; no token needed to read it). */
  public int serviceSettingsInterval() {
    return integer(SERVICE_BUILD_INTERVAL);
  }

  /** True when any {@code source.<name>.*} key is set: the sources are real databases, not the demo's embedded ones. */
  public boolean sourcesConfigured() {
    return values.keySet().stream().anyMatch(k -> k.startsWith("source."));
  }

  public Path home() {
    return Path.of(get(HOME)).toAbsolutePath().normalize();
  }

  public List<String> sourceNames() {
    String v = values.getOrDefault(SOURCES.name(), SOURCES.defaultValue());
    List<String> names = new ArrayList<>();
    for (String n : v.split(",")) {
      if (!n.isBlank()) {
        if (!n.strip().matches("[a-z][a-z0-9_]*")) {
          throw new ConfigException("Source name '" + n.strip() + "' in '" + SOURCES.name()
              + "' must be lower-case letters, digits and _ (" + origin + ").");
        }
        names.add(n.strip());
      }
    }
    return names;
  }

  /** Iceberg catalog properties; default: a Hadoop catalog in {@code <home>/warehouse}. */
  public Map<String, String> catalogProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(CATALOG_PREFIX)) {
        p.put(k.substring(CATALOG_PREFIX.length()), v);
      }
    });
    if (!p.containsKey("type") && !p.containsKey("catalog-impl")) {
      p.put("type", "hadoop");
    }
    if ("hadoop".equals(p.get("type")) && !p.containsKey("warehouse")) {
      p.put("warehouse", home().resolve("warehouse").toString());
    }
    return p;
  }

  /** The source connection for {@code name}, with {@code host/port} replaced when given (embedded demo). */
  public SourceConnection source(String name, String hostOverride, Integer portOverride) {
    String prefix = "source." + name + ".";
    String database = values.getOrDefault(prefix + "database", name);
    Map<String, String> debezium = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix + "debezium.")) {
        debezium.put(k.substring((prefix + "debezium.").length()), v);
      }
    });
    return new SourceConnection(name,
        hostOverride != null ? hostOverride : values.getOrDefault(prefix + "host", SOURCE_KEYS.get("host")),
        portOverride != null ? portOverride : Integer.parseInt(values.getOrDefault(prefix + "port", SOURCE_KEYS.get("port"))),
        database, values.getOrDefault(prefix + "user", SOURCE_KEYS.get("user")),
        values.getOrDefault(prefix + "password", sourcePasswordFromEnvironment(name)),
        values.getOrDefault(prefix + "schemas", SOURCE_KEYS.get("schemas")), debezium);
  }

  /** {@code KAOPING_SOURCE_<NAME>_PASSWORD}, so a source's password need not sit in a file; empty if unset. */
  private static String sourcePasswordFromEnvironment(String source) {
    String v = System.getenv("KAOPING_SOURCE_" + source.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD");
    return v != null ? v : SOURCE_KEYS.get("password");
  }

  public String sparkMaster() {
    return get(SPARK_MASTER);
  }

  /** {@code spark.*} settings other than the master. */
  public Map<String, String> sparkConf() {
    Map<String, String> p = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith("spark.") && !k.equals(SPARK_MASTER.name())) {
        p.put(k, v);
      }
    });
    return p;
  }

  public MetricSettings metricSettings() {
    try {
      return new MetricSettings(integer(FULL_DAY_MINUTES), integer(FILL_GRACE),
          List.of(get(COUNTED_STATUSES).split("\\s*,\\s*")), integer(REVIEW_ON_TIME), integer(TARGET_TOLERANCE),
          integer(YELLOW_CARD), integer(RED_CARD), asOfDate());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " (" + origin + ").");
    }
  }

  private LocalDate asOfDate() {
    String v = get(AS_OF_DATE);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new ConfigException("Configuration key '" + AS_OF_DATE.name() + "' must be a date like 2025-12-31, was '" + v + "'.");
    }
  }

  public WorkingCalendar calendar() {
    String file = get(CALENDAR_FILE);
    if (file == null || file.isBlank()) {
      return WorkingCalendar.builtIn();
    }
    try {
      return WorkingCalendar.load(Path.of(file));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " (configuration key '" + CALENDAR_FILE.name() + "').");
    }
  }

  public ScoringScheme scoringScheme() {
    String file = get(SCORING_SCHEME);
    try {
      return file == null || file.isBlank() ? ScoringScheme.builtIn() : ScoringScheme.load(Path.of(file));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " (configuration key '" + SCORING_SCHEME.name() + "').");
    }
  }

  /** What {@code kaoping maintain} keeps. */
  public Policy maintenancePolicy() {
    for (Key k : List.of(MAINTAIN_RETENTION_HOURS, MAINTAIN_KEEP_SNAPSHOTS, MAINTAIN_KEEP_BUILDS, MAINTAIN_ORPHAN_HOURS)) {
      if (integer(k) < (k == MAINTAIN_KEEP_SNAPSHOTS ? 1 : 0)) {
        throw new ConfigException("Configuration key '" + k.name() + "' must be at least "
            + (k == MAINTAIN_KEEP_SNAPSHOTS ? 1 : 0) + ", was '" + get(k) + "' (" + origin + ").");
      }
    }
    return new Policy(Duration.ofHours(integer(MAINTAIN_RETENTION_HOURS)), integer(MAINTAIN_KEEP_SNAPSHOTS),
        integer(MAINTAIN_KEEP_BUILDS), Duration.ofHours(integer(MAINTAIN_ORPHAN_HOURS)));
  }

  /** Where and what the cadre-management feed delivers; environment variables stand in for unset keys. */
  public org.kaoping.delivery.feed.FeedSettings feedSettings() {
    String url = blankToNull(get(FEED_TARGET_URL));
    if (url != null && !url.startsWith("jdbc:")) {
      throw new ConfigException("Configuration key '" + FEED_TARGET_URL.name() + "' must be a JDBC URL like"
          + " jdbc:postgresql://host:5432/cadre, was '" + url + "' (" + origin + ").");
    }
    List<String> types = new ArrayList<>();
    for (String t : get(FEED_PERIOD_TYPES).split("\\s*,\\s*")) {
      if (!List.of("MONTH", "QUARTER", "YEAR").contains(t.strip().toUpperCase(java.util.Locale.ROOT))) {
        throw new ConfigException("Configuration key '" + FEED_PERIOD_TYPES.name() + "' lists '" + t
            + "'; the period types are MONTH, QUARTER and YEAR (" + origin + ").");
      }
      types.add(t.strip().toUpperCase(java.util.Locale.ROOT));
    }
    String drop = get(FEED_DROP_DIR);
    return new org.kaoping.delivery.feed.FeedSettings(url, blankToNull(get(FEED_TARGET_USER)),
        blankToNull(get(FEED_TARGET_PASSWORD)),
        drop == null || drop.isBlank() ? home().resolve("feed") : Path.of(drop).toAbsolutePath().normalize(), types);
  }

  /** The font the reports embed; null: the default. */
  public Path reportFont() {
    String v = get(REPORT_FONT);
    if (v == null || v.isBlank()) {
      return null;
    }
    Path font = Path.of(v).toAbsolutePath().normalize();
    if (!java.nio.file.Files.isRegularFile(font)) {
      throw new ConfigException("Configuration key '" + REPORT_FONT.name() + "' names " + font + ", which is not a file (" + origin + ").");
    }
    return font;
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v;
  }

  // --- Renamed source columns (issue 6 §4): source.<name>.column-map.<table>.<model column>=<source column> ---

  /** The key family mapping a staging model's column to the source column that now holds it. */
  static final String COLUMN_MAP_KEY = "source.<name>.column-map.<table>.<model column>";
  static final String COLUMN_MAP_DESCRIPTION = "the source column that now holds a column a staging model reads"
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
