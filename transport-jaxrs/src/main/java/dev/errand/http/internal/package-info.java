/** The HTTP transport's resources, filters and wire types. No compatibility promise. */
package dev.errand.http.internal;
