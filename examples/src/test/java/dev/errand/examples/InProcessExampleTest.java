package dev.errand.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessExampleTest {
  @TempDir Path dir;

  @Test
  void examplePrintsProgressThenTheResult() throws Exception {
    String printed = run();
    assertThat(printed)
        .contains("tasks already stored: 0")
        .contains("task_started")
        .contains("progress  10%  splitting_sentences")
        .contains("progress  40%  counting_words")
        .contains("progress  80%  summarising")
        .contains("progress 100%  done")
        .contains("status:  COMPLETED")
        .contains("\"top_words\":[\"stored (3)\",\"task (3)\",\"each (2)\"]")
        .contains("report:  Read 5 sentences and 29 words; listed the top 3.");
  }

  @Test
  void onH2ASecondRunListsTheTaskOfTheFirst() throws Exception {
    String first = run("--h2", dir.toString());
    String second = run("--h2", dir.toString());
    String firstId =
        first
            .lines()
            .filter(l -> l.startsWith("task_submitted"))
            .findFirst()
            .orElseThrow()
            .split("\\s+")[1];
    assertThat(first).contains("tasks already stored: 0").contains("status:  COMPLETED");
    assertThat(second).contains("tasks already stored: 1").contains(firstId + "  COMPLETED");
    assertThat(second).contains("status:  COMPLETED");
  }

  private static String run(String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      InProcessExample.main(args);
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
