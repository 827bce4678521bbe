package dev.moat.token;

import java.io.IOException;

/** The issuer's JWKS endpoint in a test: serves what the test sets, counts fetches, fails while the document is null. */
final class TestJwks implements JwksSource {

    String document;
    int fetches;

    @Override
    public String fetch() throws IOException {
        fetches++;
        if (document == null) {
            throw new IOException("connection refused");
        }
        return document;
    }
}
