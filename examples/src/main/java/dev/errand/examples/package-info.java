/** Small runnable programs that show Errand, one idea each. */
package dev.errand.examples;
