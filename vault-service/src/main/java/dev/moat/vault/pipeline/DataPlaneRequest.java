package dev.moat.vault.pipeline;

import java.util.List;

/**
 * What the pipeline needs to know of an incoming data-plane HTTP request, independent of the HTTP framework.
 *
 * @param host the Host header
 * @param method HTTP method
 * @param path request path without the query string
 * @param peerAddress TCP peer address
 * @param localPort the port the request arrived on
 * @param forwardedFor every X-Forwarded-For header value, in order (empty when none)
 * @param sourceSubnet the value of the configured source-subnet header, or null (believed only from a trusted proxy)
 * @param authorization the Authorization header, or null
 * @param clientRequestId the client's x-ms-client-request-id, or null
 */
public record DataPlaneRequest(String host, String method, String path, String peerAddress, int localPort,
        List<String> forwardedFor, String sourceSubnet, String authorization, String clientRequestId) {

    public DataPlaneRequest {
        forwardedFor = forwardedFor == null ? List.of() : List.copyOf(forwardedFor);
    }
}
