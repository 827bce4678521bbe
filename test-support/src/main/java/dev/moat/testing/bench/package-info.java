/** Helpers shared by the services' load generators and benchmarks (test sources run by the bench scripts). */
package dev.moat.testing.bench;
