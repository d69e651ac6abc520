package dev.errand.http.internal;

import dev.errand.InvalidField;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;
import java.util.Set;

/**
 * Refuses query parameters an endpoint does not take, naming them: a misspelt {@code limt=5} is an
 * error the caller should see, not a silently ignored option. An endpoint takes the parameters its
 * resource method declares.
 */
@Priority(Priorities.USER)
public final class QueryParamCheck implements ContainerRequestFilter {
  @Context private ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request) {
    Set<String> allowed = Routes.queryParameters(resource);
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
