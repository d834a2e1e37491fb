package org.kaoping.app;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;

/**
 * Commands' descriptions are written as source lines of about 110 characters; picocli prints each element on a
 * line of its own, so a sentence split over two elements read as ragged lines broken mid-sentence. This joins an
 * element that does not end a sentence with the next, and picocli wraps the paragraph at the terminal's width.
 */
final class HelpParagraphs {
  private HelpParagraphs() {}

  /** Rewrites the description of {@code cli} and of every subcommand into whole paragraphs. */
  static void apply(CommandLine cli) {
    var usage = cli.getCommandSpec().usageMessage();
    usage.description(paragraphs(usage.description()));
    cli.getSubcommands().values().forEach(HelpParagraphs::apply);
  }

  /** The lines joined into paragraphs: the summary stays alone; list items ("- "), indented and blank lines stay apart. */
  static String[] paragraphs(String[] lines) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      boolean continues = i > 1 && !endsSentence(out.get(out.size() - 1)) && !apart(out.get(out.size() - 1))
          && !line.isBlank() && !apart(line);
      if (continues) {
        out.set(out.size() - 1, out.get(out.size() - 1) + " " + line.strip());
      } else {
        out.add(line);
      }
    }
    return out.toArray(String[]::new);
  }

  /** A list item or an indented line (a table, an example) is a paragraph of its own. */
  private static boolean apart(String line) {
    return !line.isEmpty() && (Character.isWhitespace(line.charAt(0)) || line.startsWith("- "));
  }

  private static boolean endsSentence(String line) {
    String s = line.strip();
    return s.isEmpty() || ".:!?。：".indexOf(s.charAt(s.length() - 1)) >= 0;
  }
}
