/**
 * Errand over HTTP: {@link dev.errand.http.ErrandFeature} registers the resources of the documented
 * task API, its error envelope and its authentication on any JAX-RS 3.1 runtime.
 */
package dev.errand.http;
