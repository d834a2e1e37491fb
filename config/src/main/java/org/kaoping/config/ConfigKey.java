package org.kaoping.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared once: its name, type, default, checks, the environment variable that stands in
 * when it is not set (secrets belong there, not in files), whether {@code kaoping config} hides its value, and what
 * it means. Read it with {@link KaopingConfig#get}; a value of the wrong type or failing a check stops start-up with
 * a sentence naming the key.
 *
 * <p>Keys are immutable: {@link #env}, {@link #secret} and {@link #check} return a new key; {@link ConfigArea#add}
 * registers the finished one.
 */
public final class ConfigKey<T> {
  /**
   * How a key's text becomes its value: {@code parse} throws {@link IllegalArgumentException} with the rule broken
   * (blank text: null where blank means none); {@code show} is the value as a message shows it after "was".
   */
  private record Type<T>(String label, Function<String, T> parse, Function<T, String> show) {
    static <T> Type<T> quoted(String label, Function<String, T> parse) {
      return new Type<>(label, parse, v -> "'" + v + "'");
    }
  }

  /** A rule a parsed value must keep, and the sentence (after the key) that says it was broken. */
  private record Check<T>(Predicate<T> holds, Function<T, String> broken) {}

  private final String name;
  private final Type<T> type;
  private final String defaultText;
  private final String description;
  private final String env;
  private final boolean secret;
  private final List<Check<T>> checks;

  private ConfigKey(String name, Type<T> type, String defaultText, String description, String env, boolean secret,
      List<Check<T>> checks) {
    this.name = name;
    this.type = type;
    this.defaultText = defaultText;
    this.description = description;
    this.env = env;
    this.secret = secret;
    this.checks = List.copyOf(checks);
  }

  private static final Type<String> STRING = Type.quoted("text", t -> t.isBlank() ? null : t);
  private static final Type<Integer> INTEGER = new Type<>("whole number", ConfigKey::wholeNumber, String::valueOf);
  private static final Type<Duration> HOURS = new Type<>("hours", t -> Duration.ofHours(wholeNumber(t)),
      d -> Long.toString(d.toHours()));
  private static final Type<Path> PATH = new Type<>("path",
      t -> t.isBlank() ? null : Path.of(t).toAbsolutePath().normalize(), Path::toString);
  private static final Type<LocalDate> DATE = Type.quoted("date", ConfigKey::date);
  private static final Type<List<String>> LIST = Type.quoted("comma-separated list", ConfigKey::items);

  private static int wholeNumber(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number");
    }
  }

  private static LocalDate date(String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("must be a date like 2025-12-31");
    }
  }

  private static List<String> items(String text) {
    List<String> items = new ArrayList<>();
    for (String s : text.split(",")) {
      if (!s.isBlank()) {
        items.add(s.strip());
      }
    }
    return List.copyOf(items);
  }

  /** Free text; {@code defaultValue} null: none. */
  public static ConfigKey<String> text(String name, String defaultValue, String description) {
    return new ConfigKey<>(name, STRING, defaultValue, description, null, false, List.of());
  }

  public static ConfigKey<Integer> integer(String name, int defaultValue, String description) {
    return new ConfigKey<>(name, INTEGER, Integer.toString(defaultValue), description, null, false, List.of());
  }

  /** A whole number of hours. */
  public static ConfigKey<Duration> hours(String name, int defaultHours, String description) {
    return new ConfigKey<>(name, HOURS, Integer.toString(defaultHours), description, null, false, List.of());
  }

  /** A file or directory, made absolute; {@code defaultValue} null: none (the area decides what none means). */
  public static ConfigKey<Path> path(String name, String defaultValue, String description) {
    return new ConfigKey<>(name, PATH, defaultValue, description, null, false, List.of());
  }

  /** A date (yyyy-MM-dd); no default. */
  public static ConfigKey<LocalDate> date(String name, String description) {
    return new ConfigKey<>(name, DATE, null, description, null, false, List.of());
  }

  /** Comma-separated items, blanks dropped. */
  public static ConfigKey<List<String>> list(String name, List<String> defaultValue, String description) {
    return new ConfigKey<>(name, LIST, String.join(",", defaultValue), description, null, false, List.of());
  }

  /** Comma-separated choices, any case, read in upper case. */
  public static ConfigKey<List<String>> choices(String name, List<String> allowed, List<String> defaultValue,
      String description) {
    Type<List<String>> type = Type.quoted("some of " + String.join(", ", allowed), text -> {
      List<String> items = items(text).stream().map(i -> i.toUpperCase(Locale.ROOT)).toList();
      if (!allowed.containsAll(items)) {
        throw new IllegalArgumentException("must list some of " + String.join(", ", allowed) + ", comma-separated");
      }
      return items;
    });
    return new ConfigKey<>(name, type, String.join(",", defaultValue), description, null, false, List.of());
  }

  /** This key, read from {@code variable} when it is not set. */
  public ConfigKey<T> env(String variable) {
    return new ConfigKey<>(name, type, defaultText, description, variable, secret, checks);
  }

  /** This key with its value hidden by {@code kaoping config}. */
  public ConfigKey<T> secret() {
    return new ConfigKey<>(name, type, defaultText, description, env, true, checks);
  }

  /** This key with one more rule: {@code rule} completes "Configuration key 'name' …, was value". */
  public ConfigKey<T> check(Predicate<T> holds, String rule) {
    return check(holds, v -> rule + ", was " + type.show().apply(v));
  }

  /** This key with one more rule, broken as {@code broken} says (the sentence after the key's name). */
  public ConfigKey<T> check(Predicate<T> holds, Function<T, String> broken) {
    List<Check<T>> all = new ArrayList<>(checks);
    all.add(new Check<>(holds, broken));
    return new ConfigKey<>(name, type, defaultText, description, env, secret, all);
  }

  public String name() {
    return name;
  }

  /** The default as written in a file; null: none. */
  public String defaultText() {
    return defaultText;
  }

  public String description() {
    return description;
  }

  /** The environment variable standing in for an unset key; null: none. */
  public String env() {
    return env;
  }

  public boolean isSecret() {
    return secret;
  }

  /** What kind of value the key takes, as {@code kaoping config} says it. */
  public String typeLabel() {
    return type.label();
  }

  /**
   * The value of {@code text} parsed and checked; null text, or blank text of a key where blank means none: null.
   *
   * @throws IllegalArgumentException with the sentence after the key's name
   */
  T value(String text) {
    if (text == null) {
      return null;
    }
    T v;
    try {
      v = type.parse().apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", was '" + text + "'");
    }
    if (v == null) {
      return null;
    }
    for (Check<T> c : checks) {
      if (!c.holds().test(v)) {
        throw new IllegalArgumentException(c.broken().apply(v));
      }
    }
    return v;
  }

  @Override
  public String toString() {
    return name;
  }
}
