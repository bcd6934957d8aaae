/**
 * The command line: what a person types ({@code jvisor walk}, {@code run}, {@code simulate},
 * {@code bench}, {@code fuzz}). May depend on every other package; nothing depends on it.
 */
package jvisor.cli;
