/** The HTTP query API (JAX-RS resources, JSON views, the one error mapper). Thin: parsing and shaping only. */
package dev.moat.audit.api;
