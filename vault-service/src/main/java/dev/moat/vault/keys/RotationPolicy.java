package dev.moat.vault.keys;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import dev.moat.vault.objects.VaultObjectException;

/**
 * A key's rotation policy, as Key Vault has it: lifetime actions ({@code Rotate} or {@code Notify}, each triggered a
 * period after the latest version was created or before it expires) and the expiry given to new versions. Moat
 * carries out {@code Rotate} itself ({@link KeyRotator}); {@code Notify} is kept (there is no event grid to notify).
 *
 * @param expiryTime ISO-8601 period ({@code P2Y}) after which a new version expires, or null for none
 * @param created null while the key has no policy of its own (the default is shown)
 */
public record RotationPolicy(String expiryTime, List<LifetimeAction> lifetimeActions, Long created, Long updated) {

    /** What Key Vault shows for a key without a policy: notify 30 days before expiry. */
    public static final RotationPolicy DEFAULT = new RotationPolicy(null,
            List.of(new LifetimeAction(null, "P30D", "Notify")), null, null);

    /**
     * One action.
     *
     * @param timeAfterCreate ISO-8601 period after the latest version's creation, or null
     * @param timeBeforeExpiry ISO-8601 period before the latest version's expiry, or null
     * @param type {@code Rotate} or {@code Notify}
     */
    public record LifetimeAction(String timeAfterCreate, String timeBeforeExpiry, String type) {

        public boolean rotates() {
            return "Rotate".equals(type);
        }
    }

    public RotationPolicy {
        lifetimeActions = lifetimeActions == null ? List.of() : List.copyOf(lifetimeActions);
    }

    /**
     * The policy in its canonical form ({@code Rotate}/{@code Notify}), checked against Key Vault's rules: periods in
     * ISO-8601 (years, months, weeks, days), {@code expiryTime} at least 28 days, triggers at least 7 days, exactly one
     * trigger per action, {@code Notify} only before expiry, a before-expiry trigger shorter than {@code expiryTime},
     * at most one {@code Rotate}.
     *
     * @throws VaultObjectException 400 naming the field and the rule
     */
    static RotationPolicy validated(String expiryTime, List<LifetimeAction> actions) {
        Period expiry = expiryTime == null ? null : period(expiryTime, "attributes.expiryTime");
        if (expiry != null && days(expiry) < 28) {
            throw VaultObjectException.badParameter("attributes.expiryTime '" + expiryTime + "' is shorter than 28 days: a "
                    + "rotation policy's expiry is at least P28D.");
        }
        List<LifetimeAction> canonical = new java.util.ArrayList<>();
        int rotations = 0;
        for (LifetimeAction action : actions) {
            String type = action.type() == null ? "" : switch (action.type().toLowerCase(Locale.ROOT)) {
                case "rotate" -> "Rotate";
                case "notify" -> "Notify";
                default -> "";
            };
            if (type.isEmpty()) {
                throw VaultObjectException.badParameter("lifetimeActions action.type '" + KeyRules.shown(action.type())
                        + "' is not an action: use Rotate or Notify.");
            }
            if ((action.timeAfterCreate() == null) == (action.timeBeforeExpiry() == null)) {
                throw VaultObjectException.badParameter("A lifetime action has exactly one trigger: timeAfterCreate or "
                        + "timeBeforeExpiry.");
            }
            String which = action.timeAfterCreate() != null ? "timeAfterCreate" : "timeBeforeExpiry";
            String value = action.timeAfterCreate() != null ? action.timeAfterCreate() : action.timeBeforeExpiry();
            Period trigger = period(value, "lifetimeActions trigger." + which);
            if (days(trigger) < 7) {
                throw VaultObjectException.badParameter("lifetimeActions trigger." + which + " '" + value + "' is shorter "
                        + "than 7 days: a trigger is at least P7D.");
            }
            if (type.equals("Notify") && action.timeBeforeExpiry() == null) {
                throw VaultObjectException.badParameter("A Notify action is triggered by timeBeforeExpiry only.");
            }
            if (action.timeBeforeExpiry() != null && expiry != null && days(trigger) >= days(expiry)) {
                throw VaultObjectException.badParameter("lifetimeActions trigger.timeBeforeExpiry '" + value + "' is not "
                        + "shorter than attributes.expiryTime '" + expiryTime + "'.");
            }
            if (type.equals("Rotate") && ++rotations > 1) {
                throw VaultObjectException.badParameter("A rotation policy has at most one Rotate action.");
            }
            canonical.add(new LifetimeAction(action.timeAfterCreate(), action.timeBeforeExpiry(), type));
        }
        return new RotationPolicy(expiryTime, canonical, null, null);
    }

    /** The {@code exp} of a version made {@code now} under this policy, or null. */
    Long expiryOfVersionMadeAt(long now) {
        return expiryTime == null ? null : plus(now, Period.parse(expiryTime));
    }

    /** Whether the Rotate action is due for a latest version made at {@code created}, expiring at {@code expires}. */
    boolean rotationDue(long created, Long expires, long now) {
        for (LifetimeAction action : lifetimeActions) {
            if (!action.rotates()) {
                continue;
            }
            if (action.timeAfterCreate() != null && now >= plus(created, Period.parse(action.timeAfterCreate()))) {
                return true;
            }
            if (action.timeBeforeExpiry() != null && expires != null
                    && now >= plus(expires, Period.parse(action.timeBeforeExpiry()).negated())) {
                return true;
            }
        }
        return false;
    }

    private static long plus(long epochSecond, Period period) {
        return Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).plus(period).toInstant().getEpochSecond();
    }

    private static long days(Period period) {
        return period.toTotalMonths() * 30 + period.getDays();
    }

    private static Period period(String text, String field) {
        try {
            Period period = Period.parse(text);
            if (period.isNegative() || period.isZero()) {
                throw new DateTimeParseException("not positive", text, 0);
            }
            return period;
        } catch (DateTimeParseException e) {
            throw VaultObjectException.badParameter(field + " '" + KeyRules.shown(text) + "' is not an ISO-8601 period of "
                    + "years, months, weeks or days (for example P90D or P2Y).");
        }
    }
}
