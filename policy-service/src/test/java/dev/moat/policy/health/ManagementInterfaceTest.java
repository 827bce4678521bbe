package dev.moat.policy.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.moat.policy.grpc.PolicyAuthResource;
import dev.moat.testing.http.ManagementInterface;
import dev.moat.testing.kafka.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * policy-service's only HTTP is its management interface: health on plain HTTP, loopback, its own port. (Its API is
 * gRPC, on the gRPC server; the main HTTP server is off.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PolicyAuthResource.class)
class ManagementInterfaceTest {

    @Test
    void health_is_served_on_the_management_interface() {
        assertThat(ManagementInterface.uri().getHost()).isEqualTo("127.0.0.1");
        ManagementInterface.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        ManagementInterface.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItem("gRPC Server"));
    }
}
