/**
 * The services' container images, built without a Docker daemon: {@link dev.moat.image.ImageBuilder} turns each
 * service's Quarkus application into an OCI image tarball on a base made by {@link dev.moat.image.JavaRuntime};
 * {@link dev.moat.image.ServiceConfig} reads from a service's own configuration what its container must agree with.
 */
package dev.moat.image;
