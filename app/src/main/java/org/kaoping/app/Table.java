package org.kaoping.app;

import org.apache.spark.sql.Row;

/** Terminal table helpers; CJK characters take two columns. */
final class Table {
  private Table() {}

  static int width(String s) {
    int w = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      w += Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN || (cp >= 0xFF00 && cp <= 0xFFEF)
          || (cp >= 0x3000 && cp <= 0x303F) ? 2 : 1;
      i += Character.charCount(cp);
    }
    return w;
  }

  static String pad(String s, int columns) {
    return s + " ".repeat(Math.max(1, columns - width(s)));
  }

  static String padLeft(String s, int columns) {
    return " ".repeat(Math.max(1, columns - width(s))) + s;
  }

  static String percent(Row r, int i) {
    return r.isNullAt(i) ? "-" : String.format("%.1f %%", 100 * r.getDouble(i));
  }
}
