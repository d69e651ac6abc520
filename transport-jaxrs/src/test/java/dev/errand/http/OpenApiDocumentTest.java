package dev.errand.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.errand.http.internal.AgentTaskResource;
import dev.errand.http.internal.AuthResource;
import dev.errand.http.internal.EventsResource;
import dev.errand.http.internal.OpenApiResource;
import dev.errand.http.internal.SchedulesResource;
import dev.errand.http.internal.TasksResource;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document parses as 3.1 and lists exactly the operations the resources have.
 */
class OpenApiDocumentTest extends ApiTestSupport {
  private OpenAPI parsed(String text) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
    assertThat(result.getMessages()).as("parser messages").isEmpty();
    return result.getOpenAPI();
  }

  @Test
  void theDocumentIsServedWithoutCredentialsAndParsesAsOpenApi31() throws Exception {
    HttpResponse<String> r = send("GET", "api/v1/openapi.json", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    OpenAPI api = parsed(r.body());
    assertThat(api.getOpenapi()).isEqualTo("3.1.0");
    assertThat(api.getComponents().getSchemas()).containsKeys("Error", "TaskStatus", "AgentTask");
  }

  @Test
  void everyResourceOperationIsDocumentedAndNothingElse() throws Exception {
    OpenAPI api = parsed(send("GET", "api/v1/openapi.json", null, null).body());
    Set<String> documented = new TreeSet<>();
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .keySet()
                    .forEach(m -> documented.add(m.name() + " " + path)));
    Set<String> served = new TreeSet<>();
    for (Class<?> resource :
        new Class<?>[] {
          TasksResource.class,
          SchedulesResource.class,
          AgentTaskResource.class,
          AuthResource.class,
          OpenApiResource.class,
          EventsResource.class
        }) {
      served.addAll(operations(resource));
    }
    assertThat(documented).isEqualTo(served);
  }

  /** "METHOD /path" of each resource method, path parameters renamed as the document names them. */
  private static Set<String> operations(Class<?> resource) {
    String base = resource.getAnnotation(Path.class).value();
    Set<String> out = new TreeSet<>();
    for (Method m : resource.getMethods()) {
      for (Annotation a : m.getAnnotations()) {
        HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
        if (http != null) {
          Path sub = m.getAnnotation(Path.class);
          String path = "/" + join(base, sub == null ? "" : sub.value());
          out.add(
              http.value().toUpperCase(Locale.ROOT)
                  + " "
                  + path.replace("{taskId}", "{task_id}").replace("{scheduleId}", "{schedule_id}"));
        }
      }
    }
    return out;
  }

  private static String join(String a, String b) {
    String left = a.replaceAll("^/|/$", "");
    String right = b.replaceAll("^/|/$", "");
    return left.isEmpty() ? right : right.isEmpty() ? left : left + "/" + right;
  }

  @Test
  void pathItemsAreWellFormed() throws Exception {
    OpenAPI api = parsed(send("GET", "api/v1/openapi.json", null, null).body());
    for (PathItem item : api.getPaths().values()) {
      item.readOperations()
          .forEach(op -> assertThat(op.getResponses()).as(op.getOperationId()).isNotEmpty());
    }
  }
}
