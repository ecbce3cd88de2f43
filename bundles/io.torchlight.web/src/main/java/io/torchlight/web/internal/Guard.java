package io.torchlight.web.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What every request must pass. On a loopback socket the {@code Host} header must name a loopback host, so a page
 * of another site cannot reach the dashboard through a rebound DNS name. Requests that change state (POST) must
 * carry the per-start token in {@value #TOKEN_HEADER}, which no other origin can read or set, and an {@code Origin},
 * when sent, must be the dashboard's own.
 */
final class Guard {

    static final String TOKEN_HEADER = "X-Torchlight-Token";

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final String token;

    Guard(String token) {
        this.token = token;
    }

    /** A fresh random token: 128 bits, URL-safe. */
    static String newToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String token() {
        return token;
    }

    /** Fails with 421/403 when the Host header does not fit the socket the request came in on. */
    void checkHost(HttpServletRequest request) {
        if (!loopback(request.getLocalAddr())) {
            return; // the user bound the dashboard to another address on purpose
        }
        String host = hostName(request.getHeader("Host"));
        if (host == null || !LOOPBACK_NAMES.contains(host)) {
            throw new HttpError(421, "this dashboard answers only to localhost or 127.0.0.1, not to Host '"
                    + request.getHeader("Host") + "'");
        }
    }

    /** Fails with 403 unless a state-changing request carries the token and comes from the dashboard's own page. */
    void checkChange(HttpServletRequest request) {
        String given = request.getHeader(TOKEN_HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(403, given == null ? "this request changes state and needs the dashboard token: open the "
                    + "address the shell printed (…/?token=…) or see bin/torchlight info" : "wrong dashboard token: the "
                    + "container was restarted? open the address it printed last");
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equals("null")) {
            String expected = request.getScheme() + "://" + request.getHeader("Host");
            if (!origin.equalsIgnoreCase(expected)) {
                throw new HttpError(403, "requests from " + origin + " are not accepted (expected " + expected + ")");
            }
        }
    }

    static String hostName(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        try {
            String host = URI.create("http://" + hostHeader.trim()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean loopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
