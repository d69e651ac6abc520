package dev.errand.http.internal;

import dev.errand.http.RateLimits;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The rate-limit group of a resource method; methods without it count as OTHER. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Limited {
  RateLimits.Endpoint value();
}
