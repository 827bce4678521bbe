package dev.moat.system;

import org.junit.jupiter.api.AfterAll;

/**
 * A system test class against one local stack: its {@code @BeforeAll} starts the stack with {@link #start}, and the
 * stack stops after the class's last test (after the subclass's own {@code @AfterAll}, which may still use it).
 * Surefire runs the test classes of this module one after the other, so the fields are the running class's.
 */
abstract class OnLocalStack {

    static LocalStack stack;
    static StackClient client;

    /** Takes a stack that {@link LocalStack#up} or {@link LocalStack#upHa} has started, and a client for it. */
    static void start(LocalStack started) throws Exception {
        stack = started;
        client = new StackClient(started);
    }

    @AfterAll
    static void stopStack() throws Exception {
        StackClient.reset();
        LocalStack started = stack;
        stack = null;
        client = null;
        if (started != null) {
            started.close();
        }
    }
}
