package dev.moat.audit.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test that publishes events to the test broker as Moat's services do: its {@link #publisher} connects before the
 * class's first test and is closed after its last.
 */
public abstract class PublishingTest {

    protected static Publisher publisher;

    @BeforeAll
    protected static void connectPublisher() {
        publisher = new Publisher();
    }

    @AfterAll
    protected static void closePublisher() {
        // null when the class never started (a failed boot): the first error is the one to read
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }
}
