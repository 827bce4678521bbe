package dev.moat.testing.bench;

import java.util.function.BiConsumer;
import java.util.function.Function;

/** The command line of a load generator: options that each take one value ({@code --name value}). */
public final class CommandLine {

    private CommandLine() {
    }

    /**
     * Passes each option of {@code args}, from index {@code from} on, with its value to {@code option}.
     *
     * @param usage the exception for a problem with the command line, given the problem
     * @throws IllegalArgumentException from {@code usage} when the last option has no value
     */
    public static void eachOption(String[] args, int from, Function<String, IllegalArgumentException> usage,
            BiConsumer<String, String> option) {
        for (int i = from; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw usage.apply("option " + args[i] + " needs a value");
            }
            option.accept(args[i], args[i + 1]);
        }
    }
}
