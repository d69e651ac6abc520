package dev.errand.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The fields of a JSON document as path to JSON type ({@code a.b[].c -> string}). */
final class JsonShape {
  private JsonShape() {}

  static Map<String, String> of(JsonNode node) {
    Map<String, String> out = new TreeMap<>();
    walk("", node, out);
    return out;
  }

  private static void walk(String path, JsonNode node, Map<String, String> out) {
    if (!path.isEmpty()) {
      out.put(path, type(node));
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        walk(path + "[]", element, out);
      }
    }
  }

  private static String type(JsonNode node) {
    if (node.isNumber()) {
      return "number";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
