package dev.moat.policy.admin;

/** A request that is malformed before any rule applies (for example a vault name Azure would not accept). */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message);
    }
}
