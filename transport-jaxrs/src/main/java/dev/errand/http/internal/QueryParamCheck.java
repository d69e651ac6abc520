package dev.errand.http.internal;

import dev.errand.InvalidField;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.List;
import java.util.Set;

/**
 * Refuses query parameters an endpoint does not take, naming them: a misspelt {@code limt=5} is an
 * error the caller should see, not a silently ignored option. Only the list endpoint takes any.
 */
@Priority(Priorities.USER)
public final class QueryParamCheck implements ContainerRequestFilter {
  static final Set<String> LIST =
      Set.of("status", "task_type", "limit", "offset", "sort_by", "sort_order");

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath(true).replaceFirst("^/", "");
    boolean list = request.getMethod().equals("GET") && path.equals("api/v1/tasks");
    Set<String> allowed = list ? LIST : Set.of();
    List<InvalidField> unknown =
        request.getUriInfo().getQueryParameters(true).keySet().stream()
            .filter(name -> !allowed.contains(name))
            .sorted()
            .map(name -> new InvalidField(name, "is not a query parameter of this endpoint"))
            .toList();
    if (!unknown.isEmpty()) {
      throw ApiException.invalid("INVALID_REQUEST", "Unknown query parameters", unknown);
    }
  }
}
