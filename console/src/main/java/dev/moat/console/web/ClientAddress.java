package dev.moat.console.web;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.moat.console.config.ConsoleConfig;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.vertx.core.http.HttpServerRequest;

/**
 * The browser's address, as vault-service resolves a client's: the TCP peer, or, when the peer is a configured trusted
 * proxy, the right-most {@code X-Forwarded-For} entry that is not one. It is what the firewall judges when the console
 * reads a vault's contents for the browser, and what "add my client address" adds.
 */
@ApplicationScoped
public class ClientAddress {

    private final List<IPAddress> proxies;

    @jakarta.inject.Inject
    public ClientAddress(ConsoleConfig config) {
        this(config.trustedProxies().orElse(List.of()));
    }

    ClientAddress(List<String> trustedProxies) {
        this.proxies = trustedProxies.stream().map(p -> new IPAddressString(p.trim()).getAddress()).toList();
    }

    public String of(HttpServerRequest request) {
        return of(request.remoteAddress().hostAddress(), request.getHeader("X-Forwarded-For"));
    }

    /** The browser's address from the TCP peer and the {@code X-Forwarded-For} header (may be null). */
    String of(String address, String forwarded) {
        if (forwarded == null || !trusted(address)) {
            return address;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (new IPAddressString(hop).getAddress() == null) {
                return address;
            }
            if (!trusted(hop)) {
                return hop;
            }
        }
        return address;
    }

    private boolean trusted(String address) {
        IPAddress ip = new IPAddressString(address).getAddress();
        return ip != null && proxies.stream().anyMatch(p -> p != null && p.contains(ip));
    }
}
