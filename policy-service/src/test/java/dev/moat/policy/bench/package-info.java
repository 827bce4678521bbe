/**
 * JMH benchmarks of the in-process firewall decision. Not tests: run them with {@code org.openjdk.jmh.Main}
 * (see {@code docs/benchmarks.md} for the command and the recorded figures).
 */
package dev.moat.policy.bench;
