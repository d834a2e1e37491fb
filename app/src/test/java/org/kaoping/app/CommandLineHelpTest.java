package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** First contact: the top help lists each command in one whole sentence; an unknown command is an error. */
class CommandLineHelpTest {
  private record Outcome(int exit, String out, String err) {}

  private static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Kaoping.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  @Test
  void everyCommandSummaryIsOneWholeSentence() {
    Outcome o = run("--help");
    assertEquals(0, o.exit(), o.err());
    checkSummaries(Kaoping.commandLine(), o.out());
  }

  private static void checkSummaries(CommandLine cli, String help) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      // picocli's command list shows the header's first line, else the description's
      String[] header = spec.usageMessage().header();
      String[] lines = header.length > 0 ? header : spec.usageMessage().description();
      assertTrue(lines.length > 0, spec.qualifiedName() + " has a description");
      String summary = lines[0];
      assertTrue(summary.endsWith("."), spec.qualifiedName() + ": summary is a whole sentence: " + summary);
      assertTrue(summary.length() <= 64, spec.qualifiedName() + ": summary fits: " + summary);
      if (cli.getParent() == null) {
        assertTrue(help.contains(summary), "the top help lists " + spec.name() + ": " + help);
      }
      checkSummaries(sub, sub.getUsageMessage());
    }
  }

  /** A description sentence is wrapped as one paragraph, never broken where its source line ended. */
  @Test
  void descriptionsWrapAsWholeParagraphs() {
    String[] ingest = Kaoping.commandLine().getSubcommands().get("ingest").getCommandSpec().usageMessage().description();
    assertTrue(ingest[1].contains("with none of the latter set, a home whose sources/ holds the embedded demo databases"
        + " (kaoping demo, kaoping generate) is captured from them."), String.join("|", ingest));
    assertEquals(List.of("Summary.", "A sentence over two lines; and its end.", "- an item", "  indented", "Last one:",
            "with the rest"),
        List.of(HelpParagraphs.paragraphs(new String[] {"Summary.", "A sentence over", "two lines;", "and its end.",
            "- an item", "  indented", "Last one:", "with the rest"})));
  }

  @Test
  void unknownCommandIsAnErrorWithTheSuggestion() {
    for (String[] args : new String[][] {{"nosuch", "--help"}, {"nosuch"}, {"demi", "--help"}}) {
      Outcome o = run(args);
      assertEquals(2, o.exit(), String.join(" ", args) + ": " + o.out() + o.err());
      assertTrue(o.err().contains("Unmatched argument") && o.err().contains("'" + args[0] + "'"), o.err());
      assertTrue(!o.out().contains("Usage: kaoping [-hV]"), "no top help on stdout: " + o.out());
    }
    Outcome typo = run("demi", "--help");
    assertTrue(typo.err().contains("Did you mean: kaoping demo"), typo.err()); // "or kaoping remind?" too
  }

  @Test
  void unknownSubcommandOfAGroupIsAnError() {
    Outcome o = run("feed", "delivr", "--help");
    assertEquals(2, o.exit(), o.out() + o.err());
    assertTrue(o.err().contains("Did you mean: feed deliver?"), o.err());
  }
}
