package dev.moat.system;

import java.net.http.HttpResponse;
import java.util.function.Consumer;

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

    /** One HTTP exchange of a test. */
    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /**
     * Sends a data-plane request again at once (at most twice more) while it is answered 503, Key Vault's "retry
     * later", which every Azure client honours: on this 2-core machine the firewall's 500 ms deadline can be missed
     * right after a stack started or a process restarted, and the request is then refused (fail closed) before
     * anything is done, so sending it again is safe for every method. Every answer, each 503 too, is handed to
     * {@code each} first (to count them, or the decision ids they name).
     */
    static HttpResponse<String> retryingUnavailable(Call call, Consumer<HttpResponse<String>> each) throws Exception {
        HttpResponse<String> response = call.send();
        each.accept(response);
        for (int retry = 0; retry < 2 && response.statusCode() == 503; retry++) {
            response = call.send();
            each.accept(response);
        }
        return response;
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
