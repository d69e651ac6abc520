package dev.errand.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InProcessExampleTest {
  @Test
  void examplePrintsProgressThenTheResult() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      InProcessExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("task_started")
        .contains("progress  10%  splitting_sentences")
        .contains("progress  40%  counting_words")
        .contains("progress  80%  summarising")
        .contains("progress 100%  done")
        .contains("status:  COMPLETED")
        .contains("\"top_words\":[\"stored (3)\",\"task (3)\",\"each (2)\"]")
        .contains("report:  Read 5 sentences and 29 words; listed the top 3.");
  }
}
