package dev.errand.http.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI 3.1 document of these endpoints, without authentication. */
@Path("api/v1/openapi.json")
public final class OpenApiResource {
  static final String DOCUMENT = "/dev/errand/http/openapi.json";

  private final byte[] document = load();

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Open
  public byte[] document() {
    return document.clone();
  }

  private static byte[] load() {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + DOCUMENT + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DOCUMENT, e);
    }
  }
}
