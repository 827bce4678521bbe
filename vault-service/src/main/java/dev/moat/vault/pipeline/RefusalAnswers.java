package dev.moat.vault.pipeline;

import jakarta.ws.rs.core.Response;

/** How the edge answers a {@link Refusal}: Key Vault's error JSON, implemented by {@code dev.moat.vault.api}. */
public interface RefusalAnswers {

    Response answer(Refusal refusal);
}
