package dev.moat.testing.http;

import java.net.URI;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to the service under test's management interface ({@code quarkus.management.*}): health and metrics on
 * their own plain-HTTP port, not on the port that serves the service's API. The port is the one the test run bound
 * ({@code quarkus.management.test-port=0} picks a free one).
 */
public final class ManagementInterface {

    private ManagementInterface() {
    }

    /** The management interface's base URI, e.g. {@code http://127.0.0.1:41234}. */
    public static URI uri() {
        URI uri = URI.create(TestHTTPResourceManager.getManagementUri());
        return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    }

    /** A rest-assured request aimed at the management interface (scheme, host and port set; no TLS). */
    public static RequestSpecification given() {
        URI uri = uri();
        return RestAssured.given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort());
    }
}
