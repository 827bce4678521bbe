package dev.moat.vault.secrets;

/** A secret version with its value, as get and set return it. {@code toString()} leaves the value out. */
public record Secret(SecretProperties properties, String value) {

    @Override
    public String toString() {
        return "Secret[" + properties + ", value=(redacted)]";
    }
}
