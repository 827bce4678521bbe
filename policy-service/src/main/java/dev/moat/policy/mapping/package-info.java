/**
 * Between the {@code moat.policy.v1} messages and the domain, for the gRPC edge ({@code dev.moat.policy.grpc}) and
 * the change events of {@code dev.moat.policy.admin} alike; it depends on the domain only, never on either user.
 */
package dev.moat.policy.mapping;
