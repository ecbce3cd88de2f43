package io.torchlight.web.internal;

/**
 * The dashboard's address with its token, as a service with the property {@value #PROPERTY}, so the launcher can
 * print it under its banner; the same line goes into {@code <data>/dashboard.url} (readable by its owner only) for
 * {@code bin/torchlight info}.
 */
public final class DashboardAddress {

    public static final String PROPERTY = "torchlight.dashboard.url";

    private final String url;

    DashboardAddress(String url) {
        this.url = url;
    }

    public String url() {
        return url;
    }
}
