package dev.moat.vault.api;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.moat.vault.config.VaultConfig;
import dev.moat.vault.pipeline.DataPlanePipeline;
import dev.moat.vault.pipeline.Refusal.RequestTooLarge;
import dev.moat.vault.pipeline.Refusal.RequestTooLarge.Part;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request over the size limits before anything else reads it: a request line over
 * {@code moat.vault.http-limits.max-request-line} (414), header fields over {@code max-header-size} (431), a body whose
 * {@code Content-Length} is over {@code quarkus.http.limits.max-body-size} (413). The answer is Key Vault's error JSON;
 * on a vault host the pipeline also records the refusal as a decision event ({@link DataPlanePipeline#refuse}). No token
 * is read and the firewall is not asked: the request is refused for what it is, not for who sent it.
 *
 * <p>A route on the main router, ahead of Quarkus' own body-size check. The HTTP codec's limits
 * ({@code quarkus.http.limits.*} in application.properties) are set above these, so that such a request reaches it;
 * beyond them the codec answers by itself (an empty 414 or 431 and no event).
 */
@ApplicationScoped
public class RequestLimits {

    /** The request line's fixed parts besides method and target: two spaces and {@code HTTP/1.1}. */
    private static final int LINE_OVERHEAD = 2 + "HTTP/1.1".length();
    /** Each header line's ": " and CRLF. */
    private static final int HEADER_OVERHEAD = 4;

    private final DataPlanePipeline pipeline;
    private final HttpRequests requests;
    private final long maxRequestLine;
    private final long maxHeaderSize;
    private final long maxBodySize;

    public RequestLimits(DataPlanePipeline pipeline, HttpRequests requests, VaultConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.pipeline = pipeline;
        this.requests = requests;
        this.maxRequestLine = config.httpLimits().maxRequestLine().asLongValue();
        this.maxHeaderSize = config.httpLimits().maxHeaderSize().asLongValue();
        this.maxBodySize = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        RequestTooLarge tooLarge = tooLarge(request);
        if (tooLarge == null) {
            context.next();
            return;
        }
        // the pipeline reads the vault and writes the event's spool: a worker's job, not the event loop's
        context.vertx().executeBlocking(() -> pipeline.refuse(requests.of(request), tooLarge), false)
                .onComplete(done -> write(context, done.succeeded() ? done.result()
                        : KeyVaultErrors.requestTooLarge(tooLarge.part().status(), tooLarge.size(), tooLarge.limit())));
    }

    /** The first part of the request over its limit, or null. */
    RequestTooLarge tooLarge(HttpServerRequest request) {
        long line = request.method().name().length() + request.uri().length() + LINE_OVERHEAD;
        if (line > maxRequestLine) {
            return new RequestTooLarge(Part.REQUEST_LINE, line, maxRequestLine);
        }
        long headers = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headers += header.getKey().length() + header.getValue().length() + HEADER_OVERHEAD;
        }
        if (headers > maxHeaderSize) {
            return new RequestTooLarge(Part.HEADER_FIELDS, headers, maxHeaderSize);
        }
        String length = request.getHeader("Content-Length");
        if (length != null) {
            try {
                long body = Long.parseLong(length.trim());
                if (body > maxBodySize) {
                    return new RequestTooLarge(Part.BODY, body, maxBodySize);
                }
            } catch (NumberFormatException invalid) {
                return null; // the codec refuses a malformed length before this runs
            }
        }
        return null;
    }

    private static void write(RoutingContext context, Response answer) {
        HttpServerResponse response = context.response().setStatusCode(answer.getStatus());
        answer.getStringHeaders().forEach((name, values) -> values.forEach(v -> response.headers().add(name, v)));
        if (context.request().version() != HttpVersion.HTTP_2) {
            // the body (or its rest) is not read: the connection cannot carry another request after it
            response.putHeader("Connection", "close");
        }
        response.end(Json.encode(answer.getEntity()));
    }
}
