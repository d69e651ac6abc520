package dev.errand.benchmarks;

import dev.errand.internal.CheckpointCodecBenchmark;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH micro benchmarks ({@link ClaimBatchBenchmark}, {@link CheckpointCodecBenchmark}), run in
 * one forked JVM with 3 warm-up and 5 measured iterations of a second, as one result line each.
 */
final class MicroBenchmarks {
  private MicroBenchmarks() {}

  static List<Result> run(boolean quick) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(ClaimBatchBenchmark.class.getName())
            .include(CheckpointCodecBenchmark.class.getName())
            .verbosity(VerboseMode.SILENT)
            .shouldFailOnError(true);
    if (quick) {
      options
          .forks(0)
          .warmupIterations(0)
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(200))
          .param("pending", "10000");
    } else {
      options
          .forks(1)
          .warmupIterations(3)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(5)
          .measurementTime(TimeValue.seconds(1));
    }
    List<Result> out = new ArrayList<>();
    for (RunResult r : new Runner(options.build()).run()) {
      out.add(toResult(r));
    }
    return out;
  }

  private static Result toResult(RunResult run) {
    BenchmarkParams params = run.getParams();
    String benchmark = params.getBenchmark();
    boolean claim = benchmark.startsWith(ClaimBatchBenchmark.class.getName());
    org.openjdk.jmh.results.Result<?> primary = run.getPrimaryResult();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("bench", benchmark.substring(benchmark.lastIndexOf('.') + 1));
    for (String key : params.getParamsKeys()) {
      m.put(key, params.getParam(key));
    }
    m.put("us_per_op", String.format("%.3f", primary.getScore()));
    m.put("error_us", String.format("%.3f", primary.getScoreError()));
    return new Result(claim ? "memory" : "-", "JMH", m);
  }
}
