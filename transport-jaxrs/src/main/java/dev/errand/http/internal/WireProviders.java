package dev.errand.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;

/**
 * The wire's JSON: snake_case names, ISO-8601 instants, unknown request fields refused (a typo in a
 * field name is an error the user should see, not a silently ignored option).
 */
public final class WireProviders {
  /** The wire's mapper; thread-safe once configured, as Jackson's mappers are. */
  static final ObjectMapper MAPPER = mapper();

  private WireProviders() {}

  private static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .setSerializationInclusion(JsonInclude.Include.ALWAYS)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /** The JSON reader and writer of request and response bodies. */
  public static JacksonJsonProvider json() {
    return new JacksonJsonProvider(MAPPER);
  }
}
