package dev.moat.policy.grpc;

import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.moat.policy.admin.BadRequestException;
import dev.moat.policy.admin.NotFoundException;
import dev.moat.policy.admin.PreconditionException;
import dev.moat.policy.rules.InvalidInputException;
import dev.moat.policy.store.StoreException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The one mapping from domain failures to gRPC status codes. */
final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (failure instanceof InvalidInputException invalid) {
            String violations = invalid.violations().stream()
                    .map(v -> v.field() + ": " + v.message())
                    .collect(Collectors.joining("; "));
            return Status.INVALID_ARGUMENT.withDescription(violations).asRuntimeException();
        }
        if (failure instanceof BadRequestException || failure instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof PreconditionException) {
            return Status.FAILED_PRECONDITION.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof NotFoundException) {
            return Status.NOT_FOUND.withDescription(failure.getMessage()).asRuntimeException();
        }
        if (failure instanceof StoreException) {
            LOG.warn("policy store unavailable", failure);
            return Status.UNAVAILABLE.withDescription("policy store unavailable; nothing was changed").asRuntimeException();
        }
        LOG.error("unexpected failure in a policy RPC", failure);
        return Status.INTERNAL.withDescription("internal error; nothing was changed").asRuntimeException();
    }
}
