/**
 * The storage SPI: {@link dev.errand.spi.TaskStore} and the records it takes and returns. A store
 * keeps tasks, their checkpoints and their events; it never reads a clock (every instant is a
 * parameter) and carries JSON payloads as text, so it needs no JSON library.
 */
package dev.errand.spi;
