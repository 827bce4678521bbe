package dev.moat.policy.admin;

/** The vault or virtual network named by a request does not exist. */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
