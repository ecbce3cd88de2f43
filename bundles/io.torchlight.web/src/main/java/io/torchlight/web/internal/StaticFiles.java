package io.torchlight.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

/** The page's own files, served from the bundle by a fixed list of names (nothing else of the bundle is reachable). */
final class StaticFiles {

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "vendor/uPlot.iife.min.js", "text/javascript; charset=utf-8",
            "vendor/uPlot.min.css", "text/css; charset=utf-8",
            "vendor/LICENSE", "text/plain; charset=utf-8");

    private StaticFiles() {
    }

    static void send(String name, HttpServletResponse response) throws IOException {
        String type = TYPES.get(name);
        URL url = type == null ? null : StaticFiles.class.getResource("/web/" + name);
        if (url == null) {
            throw HttpError.notFound("no such page: /static/" + name);
        }
        response.setContentType(type);
        response.setHeader("Cache-Control", "no-cache");
        try (InputStream in = url.openStream(); OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }
}
