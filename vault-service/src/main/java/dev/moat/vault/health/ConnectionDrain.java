package dev.moat.vault.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;

/**
 * Lets a replica leave a balancer without failing a request. On SIGTERM, with {@code quarkus.shutdown.delay} set, the
 * readiness check reports DOWN for that delay while requests are still served, so that the balancer stops sending
 * new connections; but a balancer in TCP mode (HAProxy in front of TLS) keeps the clients' open keep-alive connections
 * on this replica. So during the delay every response ends its connection: HTTP/1.1 answers with
 * {@code Connection: close} and closes once written, HTTP/2 sends GOAWAY after its open streams. The client's next
 * request opens a new connection, which the balancer gives to another replica. Without a delay this never runs.
 */
@ApplicationScoped
public class ConnectionDrain {

    private volatile boolean draining;

    void draining(@Observes ShutdownDelayInitiatedEvent event) {
        draining = true;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            if (draining) {
                if (context.request().version() == HttpVersion.HTTP_2) {
                    context.request().connection().shutdown();
                } else {
                    context.response().putHeader("Connection", "close");
                    context.addEndHandler(ended -> context.response().close());
                }
            }
            context.next();
        });
    }
}
