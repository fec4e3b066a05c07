package dev.qspark.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.job.fetch.KnownModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

class QsparkHelpTest {

  /** A usage width at which picocli wraps no line of qspark's help, so each text keeps its source form. */
  private static final int UNWRAPPED_WIDTH = 10_000;

  /** Returns every command of the tree by its full name, e.g. "qspark cluster up", the root first. */
  private static Map<String, CommandLine> commandsByName(CommandLine root) {
    Map<String, CommandLine> commands = new LinkedHashMap<>();
    addCommands(root, commands);
    return commands;
  }

  private static void addCommands(CommandLine command, Map<String, CommandLine> commands) {
    commands.put(command.getCommandSpec().qualifiedName(), command);
    command.getSubcommands().values().forEach(subcommand -> addCommands(subcommand, commands));
  }

  @Test
  void commandTreeHasNestedCommands() {
    assertThat(commandsByName(QsparkCommand.commandLine()))
        .containsKeys("qspark", "qspark sweep", "qspark cluster up", "qspark help");
  }

  @Test
  void helpNeverWrapsInsideDottedWord() {
    Map<String, CommandLine> commands = commandsByName(QsparkCommand.commandLine());
    Map<String, CommandLine> unwrappedCommands = commandsByName(QsparkCommand.commandLine());
    List<String> splitWords = new ArrayList<>();

    for (Map.Entry<String, CommandLine> entry : commands.entrySet()) {
      CommandLine unwrapped = unwrappedCommands.get(entry.getKey());
      unwrapped.getCommandSpec().usageMessage().width(UNWRAPPED_WIDTH);
      String sourceText = unwrapped.getUsageMessage(Ansi.OFF);
      List<String> lines = entry.getValue().getUsageMessage(Ansi.OFF).lines().toList();

      for (int i = 0; i + 1 < lines.size(); i++) {
        String line = lines.get(i);
        String next = lines.get(i + 1).strip();
        if (!line.endsWith(".") || next.isEmpty()) {
          continue;
        }
        String lastWord = line.substring(line.lastIndexOf(' ') + 1);
        String firstWord = next.split(" ", 2)[0];
        // A sentence ends at this dot unless the unwrapped help has the two words as one.
        if (sourceText.contains(lastWord + firstWord)) {
          splitWords.add(entry.getKey() + ": '" + lastWord + "' / '" + firstWord + "'");
        }
      }
    }

    assertThat(splitWords).isEmpty();
  }

  /** Returns the option names that start the rows of the option list, in the order printed. */
  private static List<String> optionRows(String usage) {
    return usage.lines()
        .filter(line -> line.matches(" {2,6}-{1,2}[A-Za-z].*"))
        .map(line -> line.strip().split("[ =]", 2)[0])
        .toList();
  }

  @Test
  void versionOptionOnlyOnRoot() {
    for (Map.Entry<String, CommandLine> entry : commandsByName(QsparkCommand.commandLine()).entrySet()) {
      boolean root = entry.getKey().equals("qspark");

      assertThat(entry.getValue().getCommandSpec().findOption("--version") != null)
          .as("%s has --version", entry.getKey())
          .isEqualTo(root);
      assertThat(entry.getValue().getCommandSpec().findOption("--help"))
          .as("%s has --help", entry.getKey())
          .isNotNull();
    }
  }

  @Test
  void standardOptionsListedLast() {
    for (Map.Entry<String, CommandLine> entry : commandsByName(QsparkCommand.commandLine()).entrySet()) {
      List<String> rows = optionRows(entry.getValue().getUsageMessage(Ansi.OFF));
      List<String> expectedTail = entry.getKey().equals("qspark") ? List.of("-h,", "-V,") : List.of("-h,");

      assertThat(rows).as("option rows of %s", entry.getKey()).endsWith(expectedTail.toArray(String[]::new));
    }
  }

  @Test
  void sweepListsPresetsOptionBeforeHelp() {
    String usage = QsparkCommand.commandLine().getSubcommands().get("sweep").getUsageMessage(Ansi.OFF);
    List<String> rows = optionRows(usage);

    assertThat(rows).contains("--list-presets", "--unit-bytes", "--conf").doesNotContain("-V,");
    assertThat(rows.indexOf("--list-presets")).isLessThan(rows.indexOf("-h,"));
  }

  @Test
  void modelHelpListsEveryKnownModel() {
    Map<String, CommandLine> commands = commandsByName(QsparkCommand.commandLine());

    for (String name : List.of("qspark sweep", "qspark quantize", "qspark inspect", "qspark fetch-model")) {
      CommandLine command = commands.get(name);
      command.getCommandSpec().usageMessage().width(UNWRAPPED_WIDTH);
      String usage = command.getUsageMessage(Ansi.OFF);

      for (KnownModel model : KnownModel.values()) {
        assertThat(usage).as("help of %s", name).contains(model.id());
      }
    }
  }

  @Test
  void importOnnxHelpWritesDtypesInLowerCase() {
    String usage = QsparkCommand.commandLine().getSubcommands().get("import-onnx").getUsageMessage(Ansi.OFF);

    assertThat(usage).contains("bf16, fp16, fp32").contains("(default: bf16)");
    assertThat(usage).doesNotContain("BF16", "FP16", "FP32");
  }

  @Test
  void protectedDotsRestoreToSameText() {
    String text = "DIR/manifest.json, ~/.cache and e.g. 4.5 end.";

    String protectedText = QsparkHelp.protectDots(text);

    assertThat(protectedText).doesNotContain("manifest.json", "~/.cache", "4.5").endsWith(" end.");
    assertThat(QsparkHelp.restoreDots(protectedText)).isEqualTo(text);
  }

  @Test
  void protectedStyledTextKeepsPlainText() {
    CommandLine.Help.ColorScheme scheme = CommandLine.Help.defaultColorScheme(Ansi.ON);
    Ansi.Text text = scheme.text("@|yellow MODEL.onnx|@ and model.safetensors.");

    Ansi.Text protectedText = QsparkHelp.protectDots(text, scheme);

    assertThat(QsparkHelp.restoreDots(protectedText.plainString())).isEqualTo(text.plainString());
    assertThat(protectedText.plainString()).doesNotContain("MODEL.onnx", "model.safetensors").endsWith("s.");
  }
}
