package dev.moat.policy.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What policy-service's JMH benchmarks share (JMH reads these annotations from the superclass): the average time of
 * one call in nanoseconds, 3 warm-up and 5 measured one-second iterations in one fork, and a cycle through
 * {@link #SAMPLES} different inputs, so that no single input stays hot in the branch predictor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class SampledBenchmark {

    /** Different inputs per benchmark: a power of two, see {@link #next()}. */
    protected static final int SAMPLES = 1024;

    private int next;

    /** The index of the next input, cycling through 0 to {@link #SAMPLES} - 1. */
    protected final int next() {
        next = (next + 1) & (SAMPLES - 1);
        return next;
    }
}
