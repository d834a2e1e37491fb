package org.kaoping.vocabulary;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** The Chinese name of a published code ({@code labels.properties} beside this class: the one list readers' words come from). */
public final class Labels {
  /** The kinds of code that have labels. */
  public enum Kind {
    GRADE, GRADE_RULE, CONSEQUENCE, PLACE, PEER_GROUP, LEVEL, PERIOD_TYPE, INDICATOR, COLOUR, ESCALATION, CATEGORY_KIND,
    SCORE_NULL_REASON, SCHEME, DUTY_ORIGIN, DUTY_OVERLAP, RECIPIENT_ROLE, ITEM_KIND;

    String prefix() {
      return name().toLowerCase(java.util.Locale.ROOT) + ".";
    }
  }

  private static final Properties LABELS = load();

  private Labels() {}

  /** The label of {@code code}; the code itself when it has none (a new code shows, never vanishes); null for null. */
  public static String of(Kind kind, String code) {
    return code == null ? null : LABELS.getProperty(kind.prefix() + code, code);
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Labels.class.getResourceAsStream("labels.properties")) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8)); // Properties.load(InputStream) would read Latin-1
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
