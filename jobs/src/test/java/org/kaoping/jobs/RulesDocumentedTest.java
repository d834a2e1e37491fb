package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every rule a staging model can name is in the rules table of docs/metrics.md with the same disposition, and no other;
 * and the model's header describes each in Chinese ({@code -- rule: code = 描述}), the one place the dashboards take it
 * from.
 */
class RulesDocumentedTest {
  @Test
  void theRulesTableListsExactlyTheRulesTheModelsApply() throws Exception {
    Set<String> inModels = new TreeSet<>();
    Pattern rule = Pattern.compile("'rule', '([a-z_]+\\.[a-z_0-9]+)',\\s*(?:--[^\\n]*\\n\\s*)?'disposition', '([A-Z]+)'");
    for (SqlModel model : ModelCatalog.standard().staging()) {
      Matcher m = rule.matcher(model.sql());
      while (m.find()) {
        inModels.add(m.group(1) + " " + m.group(2));
      }
    }
    Set<String> documented = new TreeSet<>();
    Matcher d = Pattern.compile("(?m)^\\| `([a-z_]+\\.[a-z_0-9]+)` \\|[^|]*\\| (EXCLUDED|FLAGGED) \\|")
        .matcher(Files.readString(Path.of("../docs/metrics.md")));
    while (d.find()) {
      documented.add(d.group(1) + " " + d.group(2));
    }
    assertTrue(inModels.contains("work_log.day_over_24h EXCLUDED"), "the pattern finds the models' rules: " + inModels);
    assertEquals(inModels, documented);
  }

  @Test
  void everyRuleAModelAppliesIsDescribedInChineseInItsHeader() {
    Pattern applied = Pattern.compile("'rule',\\s*'([a-z_]+\\.[a-z0-9_]+)'");
    Pattern described = Pattern.compile("(?m)^--\\s*rule:\\s*([a-z_]+\\.[a-z0-9_]+)\\s*=\\s*(.+)$");
    int rules = 0;
    for (SqlModel model : ModelCatalog.standard().staging()) {
      String sql = model.sql();
      String name = model.table();
      Set<String> inModel = new TreeSet<>();
      for (Matcher m = applied.matcher(sql); m.find(); ) {
        inModel.add(m.group(1));
      }
      Set<String> inHeader = new TreeSet<>();
      for (Matcher m = described.matcher(sql); m.find(); ) {
        inHeader.add(m.group(1));
        assertTrue(m.group(2).codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
            name + ": " + m.group(1) + " is described in Chinese");
      }
      assertEquals(inModel, inHeader, name + ": the rules it applies and those its header describes");
      rules += inModel.size();
    }
    assertTrue(rules >= 29, "the models' rules are found: " + rules);
  }
}
