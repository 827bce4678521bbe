package dev.moat.console.session;

import java.time.Instant;

/**
 * A signed-in user's session, kept on the server: the browser holds only its random id. The tokens never reach the
 * browser.
 *
 * @param csrfToken the token every change must carry (a hidden form field), compared in constant time
 */
public record Session(String id, String userName, String objectId, String tenantId, String managementToken,
        String dataPlaneToken, Instant tokensExpire, String csrfToken) {
}
