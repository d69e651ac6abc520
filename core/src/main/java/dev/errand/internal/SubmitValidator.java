package dev.errand.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.errand.InvalidField;
import dev.errand.RetryPolicy;
import dev.errand.TaskRequest;
import dev.errand.TaskValidationException;
import dev.errand.spi.TaskRecord;
import dev.errand.webhook.WebhookUrlPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Checks a submitted request against every rule and turns it into a new task record, or refuses it
 * naming each bad field. The rules are the public promises of {@link TaskRequest}.
 */
final class SubmitValidator {
  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_KEY_LENGTH = 255;
  static final int MAX_URL_LENGTH = 2048;
  static final int MAX_REASON_LENGTH = 1000;
  static final String NO_NUL = "must not contain the character U+0000";

  private final Json json;
  private final Set<String> taskTypes;
  private final int maxInputBytes;
  private final WebhookUrlPolicy webhookPolicy;
  private final boolean webhooksEnabled;
  private final Duration defaultTimeout;
  private final int defaultMaxAttempts;

  SubmitValidator(
      Json json,
      Set<String> taskTypes,
      int maxInputBytes,
      WebhookConfig webhooks,
      Duration defaultTimeout,
      int defaultMaxAttempts) {
    this.json = json;
    this.taskTypes = new TreeSet<>(taskTypes);
    this.maxInputBytes = maxInputBytes;
    this.webhookPolicy = webhooks.urlPolicy();
    this.webhooksEnabled = webhooks.enabled();
    this.defaultTimeout = defaultTimeout;
    this.defaultMaxAttempts = defaultMaxAttempts;
  }

  /** The idempotency keys and metadata names the engine writes on schedule occurrences only. */
  static final String RESERVED_KEY_PREFIX = "errand-schedule:";

  static final Set<String> RESERVED_METADATA = Set.of("schedule_id", "scheduled_for");

  /** A caller's task: the names the engine reserves are refused. */
  TaskRecord toRecord(TaskRequest request, UUID id, Instant now) {
    return toRecord(request, id, now, false);
  }

  /**
   * The tasks of several requests of a caller, all submitted at {@code now}.
   *
   * @throws TaskValidationException naming every bad field of every request as {@code
   *     requests[i].field}, if any is refused
   */
  List<TaskRecord> toRecords(List<TaskRequest> requests, Instant now) {
    List<TaskRecord> records = new ArrayList<>(requests.size());
    List<InvalidField> bad = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      String at = "requests[" + i + "]";
      TaskRequest request = requests.get(i);
      if (request == null) {
        bad.add(new InvalidField(at, "is required"));
        continue;
      }
      try {
        records.add(toRecord(request, TimeOrderedIds.next(now), now, false));
      } catch (TaskValidationException e) {
        e.invalidFields().forEach(f -> bad.add(new InvalidField(at + "." + f.field(), f.rule())));
      }
    }
    if (!bad.isEmpty()) {
      throw new TaskValidationException(bad);
    }
    return records;
  }

  /**
   * A task, of a caller or of the engine itself ({@code byEngine}: a schedule's occurrence, which
   * may use the reserved key and metadata names).
   */
  TaskRecord toRecord(TaskRequest request, UUID id, Instant now, boolean byEngine) {
    List<InvalidField> bad = new ArrayList<>();
    checkTaskType(request.taskType(), bad);
    checkRange(
        "priority", request.priority(), TaskRequest.MIN_PRIORITY, TaskRequest.MAX_PRIORITY, bad);
    checkName("organizationId", request.organizationId(), true, MAX_NAME_LENGTH, bad);
    checkName("ownerId", request.ownerId(), true, MAX_NAME_LENGTH, bad);
    checkName("idempotencyKey", request.idempotencyKey(), false, MAX_KEY_LENGTH, bad);
    checkName("skillRef", request.skillRef(), false, MAX_NAME_LENGTH, bad);
    checkName("model", request.model(), false, MAX_NAME_LENGTH, bad);
    checkWebhook(request.webhookUrl(), bad);
    String input = inputJson(request.input(), bad);
    String metadata = metadataJson(request.metadata(), bad);
    if (!byEngine) {
      checkNotReserved(request.idempotencyKey(), metadata, bad);
    }
    Instant runAfter = runAfter(request, now, bad);
    Duration timeout = timeout(request.timeout(), bad);
    int maxAttempts = request.maxAttempts() == null ? defaultMaxAttempts : request.maxAttempts();
    checkRange("maxAttempts", maxAttempts, 1, RetryPolicy.MAX_ATTEMPTS, bad);
    if (!bad.isEmpty()) {
      throw new TaskValidationException(bad);
    }
    return TaskRecord.newTask(id, request.taskType(), now)
        .organizationId(request.organizationId())
        .ownerId(request.ownerId())
        .priority(request.priority())
        .input(input)
        .metadata(metadata)
        .webhookUrl(request.webhookUrl() == null ? null : request.webhookUrl().toString())
        .idempotencyKey(request.idempotencyKey())
        .skillRef(request.skillRef())
        .model(request.model())
        .runAfter(runAfter)
        .timeout(timeout)
        .maxAttempts(maxAttempts)
        .build();
  }

  private void checkTaskType(String type, List<InvalidField> bad) {
    if (type == null || type.isBlank()) {
      bad.add(new InvalidField("taskType", "is required"));
    } else if (!taskTypes.contains(type)) {
      bad.add(
          new InvalidField(
              "taskType",
              "must name a task type with a registered agent (one of "
                  + taskTypes
                  + "), was '"
                  + type
                  + "'"));
    }
  }

  private static void checkRange(
      String field, int value, int min, int max, List<InvalidField> bad) {
    if (value < min || value > max) {
      bad.add(new InvalidField(field, "must be between " + min + " and " + max + ", was " + value));
    }
  }

  private static void checkName(
      String field, String value, boolean required, int maxLength, List<InvalidField> bad) {
    if (value == null) {
      if (required) {
        bad.add(new InvalidField(field, "is required"));
      }
    } else if (value.isBlank() || value.length() > maxLength) {
      bad.add(
          new InvalidField(
              field,
              "must be 1 to "
                  + maxLength
                  + " characters and not blank, was "
                  + value.length()
                  + " characters"));
    } else if (value.indexOf('\0') >= 0) {
      bad.add(new InvalidField(field, NO_NUL));
    }
  }

  private void checkWebhook(URI url, List<InvalidField> bad) {
    if (url == null) {
      return;
    }
    if (!webhooksEnabled) {
      bad.add(
          new InvalidField(
              "webhookUrl",
              "webhooks are not set up on this engine (it has no webhook secrets);"
                  + " submit without a webhook URL"));
      return;
    }
    if (url.toString().length() > MAX_URL_LENGTH) {
      bad.add(new InvalidField("webhookUrl", "must be at most " + MAX_URL_LENGTH + " characters"));
      return;
    }
    webhookPolicy
        .formProblem(url)
        .or(() -> webhookPolicy.addressProblem(url))
        .ifPresent(
            problem -> bad.add(new InvalidField("webhookUrl", problem + ", was '" + url + "'")));
  }

  private String inputJson(Object input, List<InvalidField> bad) {
    String text = writeJson("input", input, bad);
    if (text == null) {
      return "{}";
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxInputBytes) {
      bad.add(
          new InvalidField(
              "input", "must be at most " + maxInputBytes + " bytes of JSON, was " + bytes));
    }
    return text;
  }

  private void checkNotReserved(String key, String metadata, List<InvalidField> bad) {
    if (key != null && key.startsWith(RESERVED_KEY_PREFIX)) {
      bad.add(
          new InvalidField(
              "idempotencyKey",
              "must not start with '"
                  + RESERVED_KEY_PREFIX
                  + "', which the engine keeps for the tasks of schedules"));
    }
    JsonNode tree = json.tree(metadata);
    for (String name : new TreeSet<>(RESERVED_METADATA)) {
      if (tree.has(name)) {
        bad.add(
            new InvalidField(
                "metadata." + name, "is set by the engine on the tasks of schedules only"));
      }
    }
  }

  private String metadataJson(Object metadata, List<InvalidField> bad) {
    String text = writeJson("metadata", metadata, bad);
    if (text == null) {
      return "{}";
    }
    JsonNode tree = json.tree(text);
    if (!tree.isObject()) {
      bad.add(new InvalidField("metadata", "must be a JSON object, was " + tree.getNodeType()));
    }
    return text;
  }

  private String writeJson(String field, Object value, List<InvalidField> bad) {
    try {
      String text = json.write(value);
      if (text != null && text.contains("\\u0000") && hasNul(json.tree(text))) {
        bad.add(new InvalidField(field, NO_NUL));
      }
      return text;
    } catch (IllegalArgumentException e) {
      bad.add(new InvalidField(field, "must be writable as JSON: " + e.getMessage()));
      return null;
    }
  }

  /**
   * Checks a cancel reason: at most {@value #MAX_REASON_LENGTH} characters, no U+0000.
   *
   * @throws TaskValidationException naming {@code reason} otherwise
   */
  static void checkReason(String reason) {
    if (reason == null) {
      return;
    }
    if (reason.length() > MAX_REASON_LENGTH) {
      throw new TaskValidationException(
          List.of(
              new InvalidField(
                  "reason",
                  "must be at most " + MAX_REASON_LENGTH + " characters, was " + reason.length())));
    }
    if (reason.indexOf('\0') >= 0) {
      throw new TaskValidationException(List.of(new InvalidField("reason", NO_NUL)));
    }
  }

  /** Whether any text in the tree (field names included) holds the character U+0000. */
  private static boolean hasNul(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue().indexOf('\0') >= 0;
    }
    var fields = node.fieldNames();
    while (fields.hasNext()) {
      if (fields.next().indexOf('\0') >= 0) {
        return true;
      }
    }
    for (JsonNode child : node) {
      if (hasNul(child)) {
        return true;
      }
    }
    return false;
  }

  private static Instant runAfter(TaskRequest request, Instant now, List<InvalidField> bad) {
    Duration delay = request.delay();
    if (delay != null && request.runAfter() != null) {
      bad.add(new InvalidField("delay", "cannot be combined with runAfter"));
      return now;
    }
    if (delay != null) {
      if (delay.isNegative() || delay.compareTo(TaskRequest.MAX_DURATION) > 0) {
        bad.add(
            new InvalidField(
                "delay",
                "must be between zero and " + TaskRequest.MAX_DURATION + ", was " + delay));
        return now;
      }
      return now.plus(delay);
    }
    return request.runAfter() == null ? now : request.runAfter();
  }

  private Duration timeout(Duration timeout, List<InvalidField> bad) {
    if (timeout == null) {
      return defaultTimeout;
    }
    if (timeout.isNegative()
        || timeout.isZero()
        || timeout.compareTo(TaskRequest.MAX_DURATION) > 0) {
      bad.add(
          new InvalidField(
              "timeout",
              "must be positive and at most " + TaskRequest.MAX_DURATION + ", was " + timeout));
    }
    return timeout;
  }
}
