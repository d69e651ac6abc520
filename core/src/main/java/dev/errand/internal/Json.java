package dev.errand.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/** The engine's conversions between payload values, JSON text and JsonNode, on one mapper. */
final class Json {
  private final ObjectMapper mapper;

  Json(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  static ObjectMapper defaultMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** JSON text of any value; {@code null} stays {@code null}. */
  String write(Object value) {
    return value == null ? null : writeValue(value);
  }

  /** JSON text of any value, {@code null} included (as the JSON literal null). */
  String writeValue(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The tree of JSON text; {@code null} stays {@code null}. */
  JsonNode tree(String json) {
    if (json == null) {
      return null;
    }
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("stored JSON does not parse: " + e.getOriginalMessage(), e);
    }
  }

  /** JSON text read as a type. */
  <T> T read(String json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "JSON does not convert to " + type.getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** JSON text read as a generic type. */
  <T> T read(String json, TypeReference<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "JSON does not convert to " + type.getType() + ": " + e.getOriginalMessage(), e);
    }
  }
}
