package dev.moat.policy.grpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.moat.testing.tokens.SigningKey;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives policy-service a real signing key to trust, and tests the tokens made with it. */
public class PolicyAuthResource implements QuarkusTestResourceLifecycleManager {

    static SigningKey key;

    @Override
    public Map<String, String> start() {
        key = SigningKey.generate(Path.of(System.getProperty("java.io.tmpdir"), "policy-auth-" + System.nanoTime()));
        return Map.of("moat.policy.auth.public-key-location", key.publicKeyPem().toString());
    }

    @Override
    public void stop() {
    }

    /** A valid token for the given roles, as administrator "admin-oid" in tenant "t1". */
    static String token(String... roles) {
        return key.token("moat", "moat-policy", List.of(roles), Duration.ofMinutes(5),
                Map.of("tid", "t1", "oid", "admin-oid"));
    }

    /** The stub calling with a token that carries {@code role}. */
    static <S extends AbstractStub<S>> S as(S stub, String role) {
        return stub.withInterceptors(bearer(token(role)));
    }

    static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }
}
