package dev.errand.http.internal;

import dev.errand.http.RateLimits.Endpoint;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;

/**
 * What the filters need to know of the resource method a request matched: read from the method's
 * annotations, so a trailing slash, a HEAD for a GET or any other spelling of a route is treated as
 * the route itself.
 */
final class Routes {
  private Routes() {}

  /** Whether the matched method is {@link Open}; false when nothing matched. */
  static boolean isOpen(ResourceInfo resource) {
    Method m = resource.getResourceMethod();
    return m != null && m.isAnnotationPresent(Open.class);
  }

  /** The rate-limit group of the matched method. */
  static Endpoint limitGroup(ResourceInfo resource) {
    Method m = resource.getResourceMethod();
    Limited limited = m == null ? null : m.getAnnotation(Limited.class);
    return limited == null ? Endpoint.OTHER : limited.value();
  }

  /** The query parameters the matched method takes. */
  static Set<String> queryParameters(ResourceInfo resource) {
    Set<String> names = new HashSet<>();
    Method m = resource.getResourceMethod();
    if (m != null) {
      for (Annotation[] annotations : m.getParameterAnnotations()) {
        for (Annotation a : annotations) {
          if (a instanceof QueryParam q) {
            names.add(q.value());
          }
        }
      }
    }
    return names;
  }
}
