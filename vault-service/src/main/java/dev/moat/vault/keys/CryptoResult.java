package dev.moat.vault.keys;

/** The result of a key operation: the version that did it and the bytes it produced. */
public record CryptoResult(String name, String version, byte[] value) {

    @Override
    public String toString() {
        return "CryptoResult[" + name + "/" + version + ", " + value.length + " bytes]";
    }
}
